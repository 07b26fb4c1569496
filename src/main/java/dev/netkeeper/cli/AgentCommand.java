package dev.netkeeper.cli;

import com.typesafe.config.Config;
import dev.netkeeper.cluster.AgentSettings;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.docker.PluginSocket;
import dev.netkeeper.front.ApiFront;
import dev.netkeeper.http.LocalApi;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code netkeeper agent [--config FILE]}: runs the agent until the process is stopped. */
final class AgentCommand {
    private AgentCommand() {}

    static int run(List<String> args, PrintStream out) {
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
        Config settings = AgentSettings.load(Map.of(), config);
        NetkeeperNode node = NetkeeperNode.start(settings);
        ApiFront door;
        try {
            door = ApiFront.start(node, settings);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        String socketSetting = settings.getString("netkeeper.api.socket");
        LocalApi local;
        try {
            local = socketSetting.isBlank() ? null : LocalApi.start(node, Path.of(socketSetting), node.metrics()::scrape,
                    dev.netkeeper.cni.CniPlugin.serving(node, Path.of(settings.getString("netkeeper.cni.spool-dir"))));
        } catch (RuntimeException e) {
            door.close();
            node.close();
            throw e;
        }
        String dockerSetting = settings.getString("netkeeper.docker.socket");
        PluginSocket docker;
        try {
            docker = dockerSetting.isBlank() ? null : PluginSocket.start(node, Path.of(dockerSetting));
        } catch (RuntimeException e) {
            if (local != null) {
                local.close();
            }
            door.close();
            node.close();
            throw e;
        }
        AgentSettings s = node.settings();
        out.println("netkeeper agent up: host " + s.hostId() + ", clients at " + door.address()
                + (local == null ? "" : ", local API at " + local.socket())
                + (docker == null ? "" : ", Docker plugin at " + docker.socket())
                + ", cluster address " + node.system().address() + ", journal in " + s.dataDir()
                + ", host namespace " + s.hostNamespace().map(Path::toString).orElse("(own)"));
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (docker != null) {
                docker.close();
            }
            if (local != null) {
                local.close();
            }
            door.close(); // no new client requests while the node leaves
            node.close();
        }, "netkeeper-shutdown"));
        try {
            node.system().getWhenTerminated().toCompletableFuture().get(Long.MAX_VALUE, TimeUnit.DAYS);
        } catch (Exception e) {
            throw new IllegalStateException("agent stopped: " + e, e);
        }
        return 0;
    }
}
