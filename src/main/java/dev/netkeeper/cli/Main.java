package dev.netkeeper.cli;

import dev.netkeeper.cluster.AgentSettings;
import dev.netkeeper.cluster.NetkeeperNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code netkeeper <command>}: the agent, and (later) the operator commands. */
public final class Main {
    private static final String USAGE = """
            usage: netkeeper agent [--config FILE]
              agent    run the agent: cluster member, journal, netlink owner of this host
            """;

    private Main() {}

    public static void main(String[] args) {
        int code;
        try {
            code = run(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("netkeeper: " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            System.err.println("netkeeper: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            System.out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        return switch (args.get(0)) {
            case "agent" -> agent(args.subList(1, args.size()));
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'\n" + USAGE);
        };
    }

    private static int agent(List<String> args) {
        Optional<Path> config = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--config") && i + 1 < args.size()) {
                config = Optional.of(Path.of(args.get(++i)));
            } else {
                throw new IllegalArgumentException("agent: unexpected argument '" + args.get(i) + "'");
            }
        }
        if (config.isPresent() && !Files.isReadable(config.get())) {
            throw new IllegalArgumentException("agent: cannot read config file " + config.get());
        }
        NetkeeperNode node = NetkeeperNode.start(AgentSettings.load(Map.of(), config));
        AgentSettings s = node.settings();
        System.out.println("netkeeper agent up: host " + s.hostId() + ", cluster address " + node.system().address()
                + ", journal in " + s.dataDir() + ", host namespace "
                + s.hostNamespace().map(Path::toString).orElse("(own)"));
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close, "netkeeper-shutdown"));
        try {
            node.system().getWhenTerminated().toCompletableFuture().get(Long.MAX_VALUE, TimeUnit.DAYS);
        } catch (Exception e) {
            throw new IllegalStateException("agent stopped: " + e, e);
        }
        return 0;
    }
}
