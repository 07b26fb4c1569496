package dev.netkeeper.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;

import java.util.Map;
import java.util.Optional;

/**
 * The connection to the agent, made on first use (so that usage errors never start an ActorSystem) and
 * always closed, which terminates the client's ActorSystem and lets the process end promptly.
 * Pekko's own logging is off (stderr carries only the one-line error) unless the environment variable
 * NETKEEPER_CLI_LOGLEVEL (DEBUG, INFO, WARNING) asks for it; it then goes through logback to stderr.
 */
final class Session implements AutoCloseable {
    private final Optional<String> agent;
    private final Optional<String> socket;
    private final Optional<String> config;
    private final ClientSettings settings;
    private NetkeeperClient client;

    Session(Optional<String> agent, Optional<String> socket, Optional<String> config, Optional<String> principal,
            Optional<String> credentials) {
        this.agent = agent;
        this.socket = socket;
        this.config = config;
        ClientSettings s = ClientSettings.defaults();
        // An agent on another machine must be able to answer: bind the CLI's own address there.
        String bind = System.getenv("NETKEEPER_CLIENT_BIND");
        s = bind == null || bind.isBlank() ? s : s.withBindHost(bind.strip());
        s = credentials.isPresent() ? s.withCredentials(java.nio.file.Path.of(credentials.get())) : s;
        this.settings = principal.isPresent() ? s.withPrincipal(principal.get()) : s;
    }

    static Session from(Args args) {
        return new Session(args.value("--agent"), args.value("--socket"), args.value("--config"), args.value("--principal"),
                args.value("--tls"));
    }

    /** The Artery door of --agent. */
    String agentAddress() {
        return AgentAddress.resolve(agent.orElseThrow());
    }

    /**
     * The agent's local API on its unix socket, unless {@code --agent} names an Artery door: the socket needs
     * no ActorSystem, so a command ends in a fraction of the time.
     */
    NetkeeperClient client() {
        if (client == null) {
            if (agent.isPresent() && settings.credentials().isEmpty()) {
                throw new UsageException("--agent needs client credentials: --tls DIR (or " + ClientSettings.CREDENTIALS_ENV
                        + "=DIR), with DIR from netkeeper certs client NAME --out DIR");
            }
            client = agent.isPresent() ? NetkeeperClient.connect(agentAddress(), settings, pekkoOverrides())
                    : NetkeeperClient.overSocket(AgentAddress.socket(socket, config), settings);
        }
        return client;
    }

    /**
     * For a CLI process (not the agent, not a JVM that embeds {@link Main#run}): unless
     * NETKEEPER_CLI_LOGLEVEL is set, SLF4J gets its no-op provider, so that Pekko Typed's logger lookup does
     * not initialize logback (and parse its configuration) just to log nothing. Before any logging starts.
     */
    static void quietProcess() {
        String level = System.getenv("NETKEEPER_CLI_LOGLEVEL");
        if ((level == null || level.isBlank()) && System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    /** The client ActorSystem's settings for a short-lived command-line process. */
    static Config pekkoOverrides() {
        String level = System.getenv("NETKEEPER_CLI_LOGLEVEL");
        Config quiet = ConfigFactory.parseString(QUIET);
        if (level != null && !level.isBlank()) {
            return ConfigFactory.parseMap(Map.of("pekko.loglevel", level.strip()))
                    .withFallback(ConfigFactory.parseString(LEAN));
        }
        return quiet;
    }

    /** Start-up work a CLI does not need: flight-recorder events of the remoting layer. */
    private static final String LEAN = """
            pekko.java-flight-recorder.enabled = off
            pekko.remote.warn-about-direct-use = off
            """;

    /** No Pekko logging at all (stderr carries only our one-line error), and the lean settings. */
    private static final String QUIET = LEAN + """
            pekko.loglevel = OFF
            pekko.stdout-loglevel = OFF
            pekko.use-slf4j = off
            pekko.loggers = ["org.apache.pekko.event.Logging$DefaultLogger"]
            pekko.logging-filter = "org.apache.pekko.event.DefaultLoggingFilter"
            pekko.log-dead-letters = off
            """;

    @Override
    public void close() {
        if (client != null) {
            NetkeeperClient c = client;
            client = null;
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the client's ActorSystem did not stop in time; the process ends anyway
            }
        }
    }
}
