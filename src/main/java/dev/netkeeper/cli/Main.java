package dev.netkeeper.cli;

import dev.netkeeper.api.NetkeeperException;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * {@code netkeeper <command>}: the agent, and the operator commands that talk to it. Results go to
 * stdout (aligned tables, or JSON with {@code --json}); a failure is one line
 * {@code netkeeper: CODE: message} on stderr, exit code 1 (2 for a usage error).
 */
public final class Main {
    static final String USAGE = """
            usage: netkeeper agent [--config FILE]
                   netkeeper network create NAME [--driver bridge] [--subnet CIDR] [--ipv6-subnet CIDR]
                                 [--gateway IP] [--ip-range CIDR] [--mtu N] [--internal] [--opt KEY=VALUE]...
                                 [--host-route-overlap] [--disable-dns]
                   netkeeper network ls | inspect NAME | rm NAME [--force]
                   netkeeper link NETWORK ENDPOINT [--host HOST] [--ns PATH [--dst NAME]] [--publish MAPPING]...
                                 [--ip ADDRESS] [--ip6 ADDRESS] [--mac MAC] [--alias NAME]...
                   netkeeper unlink NETWORK ENDPOINT
                   netkeeper publish NETWORK ENDPOINT MAPPING...
                   netkeeper unpublish NETWORK ENDPOINT [IP:]HOSTPORT[/PROTO]...
                   netkeeper ns create [HOST:]PATH | use [HOST:]PATH | ls | inspect [HOST:]PATH | check [HOST:]PATH
                                 | rm [HOST:]PATH
                   netkeeper ns add-interface [HOST:]PATH NETWORK ENDPOINT [--dst NAME]
                   netkeeper hosts
                   netkeeper audit [--network NAME] [--namespace PATH] [--since TIME] [--until TIME] [--follow]
                   netkeeper audit --state-at TIME [--network NAME]
                   netkeeper certs host ID --out DIR [--ca DIR]
                   netkeeper certs client NAME --out DIR [--ca DIR]
                   netkeeper journal migrate-h2 [--data-dir DIR]
                   netkeeper install-cni [DIR]      (bin/netkeeper: the CNI plugin, built and installed)
              agent      run the agent: cluster member, journal, netlink owner of this host
              network    create, list, show and remove networks
              link       link a container endpoint to a network; prints its interfaces
              unlink     unlink an endpoint
              publish    publish host ports to an endpoint; MAPPING is Docker's -p form,
                         [IP:]HOSTPORT[-END]:PORT[/tcp|udp|sctp] (HOSTPORT empty: the agent picks one)
              unpublish  stop publishing host ports to an endpoint
              ns         network namespaces: create, list, show, check against the kernel, remove, add an
                         endpoint's interface
              hosts      the hosts of the cluster and whether their agents can be reached
              audit      who changed what, when; --follow streams new changes; --state-at shows the past
              certs      issue a host's member credentials (node CA) or a JVM client's (client CA), from
                         the CAs in --ca (default: netkeeper.tls.dir)
              journal    migrate-h2: move an earlier version's H2 journal into the durable SQLite one
                         (agent stopped; default DIR: netkeeper.data-dir)
            options (any command but agent, anywhere on the line):
              --socket PATH       the agent's local API (default: NETKEEPER_API_SOCKET, else the
                                  config's netkeeper.api.socket, /run/netkeeper/netkeeper.sock)
              --agent HOST:PORT   an agent's client door over Artery instead (another machine's;
                                  the agent's netkeeper.api.hostname:port, 127.0.0.1:25521 by default)
              --tls DIR           client credentials for --agent (netkeeper certs client NAME --out DIR;
                                  default: NETKEEPER_CLIENT_TLS)
              --config FILE       read the default socket (netkeeper.api.socket) from FILE
              --principal NAME    who you say you are on top, recorded in the audit trail after what the
                                  door proved (your uid on the socket, your certificate with --agent)
              --json              JSON instead of tables (audit --follow: one JSON record per line)
            environment: NETKEEPER_CLIENT_BIND=ADDRESS for an agent on another machine (its replies
              come back there; default 127.0.0.1)
            TIME: 2026-11-27T10:00:00Z, epoch milliseconds, or relative: -30s, -5m, -1h, -2d
            """;

    private static final Map<String, Command> COMMANDS = Map.of(
            "network", new NetworkCommands(),
            "link", LinkCommands::link,
            "unlink", LinkCommands::unlink,
            "publish", LinkCommands::publish,
            "unpublish", LinkCommands::unpublish,
            "ns", new NamespaceCommands(),
            "hosts", new HostsCommand(),
            "audit", new AuditCommands(),
            "certs", new CertsCommand(),
            "journal", new JournalCommand());

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && !args[0].equals("agent")) {
            Session.quietProcess();
        }
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs one command line; answers the exit code (0 ok, 1 failed, 2 usage error). Never exits. */
    public static int run(List<String> words, PrintStream out, PrintStream err) {
        try {
            return dispatch(words, out);
        } catch (UsageException | IllegalArgumentException e) {
            err.println("netkeeper: USAGE: " + oneLine(e.getMessage()));
            return 2;
        } catch (NetkeeperException e) {
            err.println("netkeeper: " + oneLine(e.toWire()));
            return 1;
        } catch (RuntimeException e) {
            err.println("netkeeper: ERROR: " + oneLine(e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int dispatch(List<String> words, PrintStream out) {
        if (words.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        if (words.get(0).equals("agent")) {
            return AgentCommand.run(words.subList(1, words.size()), out);
        }
        Args args = Args.parse(words);
        if (args.flag("--help") || (!args.positional().isEmpty() && args.positional().get(0).equals("help"))) {
            out.print(USAGE);
            return 0;
        }
        if (args.positional().isEmpty()) {
            throw new UsageException("no command (netkeeper --help lists them)");
        }
        Command command = COMMANDS.get(args.positional().get(0));
        if (args.positional().get(0).equals("agent")) {
            throw new UsageException("agent must come first: netkeeper agent [--config FILE]");
        }
        if (command == null) {
            throw new UsageException("unknown command '" + args.positional().get(0) + "' (netkeeper --help lists them)");
        }
        try (Session session = Session.from(args)) {
            return command.run(new Invocation(args, new Output(out, args.flag("--json")), session));
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
