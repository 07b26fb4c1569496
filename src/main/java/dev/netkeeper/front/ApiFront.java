package dev.netkeeper.front;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.netkeeper.api.Agent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import dev.netkeeper.api.Request;
import dev.netkeeper.identity.ClientCredentials;
import dev.netkeeper.identity.Credentials;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The door for remote JVM clients: an ActorSystem of its own ({@value #SYSTEM}, Artery on
 * {@code netkeeper.api.hostname:port}) that holds nothing but the {@link FrontGateway} and the sessions it opens.
 * It is not a cluster member. Mutual TLS with the client CA ({@link dev.netkeeper.identity.FrontTls}): a process
 * without client credentials cannot connect; Artery runs in untrusted mode (no system messages, no remote deployment, selections
 * only of {@code /user/gateway}), and its serialization binds only the public protocol
 * ({@link dev.netkeeper.api.ApiMessage}): an internal message cannot even be deserialized here, and a
 * message addressed to any other path finds nobody. The cluster's own Artery carries members only.
 */
public final class ApiFront implements AutoCloseable {
    public static final String SYSTEM = "netkeeper-front";
    /** The agent's cluster ActorSystem (NetkeeperNode), which the door never answers into. */
    static final String CLUSTER_SYSTEM = "netkeeper";

    /** Fixed, not settings: what makes this a closed door. */
    private static final String DOOR = """
            pekko.actor.provider = remote
            pekko.remote.artery.untrusted-mode = on
            pekko.remote.artery.trusted-selection-paths = ["/user/gateway"]
            pekko.coordinated-shutdown.exit-jvm = off
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.log-dead-letters-during-shutdown = off
            pekko.remote.warn-about-direct-use = off
            pekko.remote.artery.transport = tls-tcp
            pekko.remote.artery.ssl.ssl-engine-provider = "dev.netkeeper.identity.FrontTls"
            """;
    private static final Duration DEFAULT_IDLE = Duration.ofHours(1);
    /** Logging as the agent's own ActorSystem does it. */
    private static final List<String> FROM_AGENT = List.of("pekko.loglevel", "pekko.loggers", "pekko.logging-filter",
            "pekko.log-dead-letters");

    private final ActorSystem<Void> system;

    private ApiFront(ActorSystem<Void> system) {
        this.system = system;
    }

    /** Opens the door at the agent configuration's {@code netkeeper.api.hostname} and {@code port} (0: any free one). */
    public static ApiFront start(Agent agent, Config agentConfig) {
        Config door = ConfigFactory.parseString(DOOR)
                .withValue("pekko.remote.artery.canonical.hostname",
                        ConfigValueFactory.fromAnyRef(agentConfig.getString("netkeeper.api.hostname")))
                .withValue("pekko.remote.artery.canonical.port",
                        ConfigValueFactory.fromAnyRef(agentConfig.getInt("netkeeper.api.port")))
                .withValue("netkeeper.tls.dir", agentConfig.getValue("netkeeper.tls.dir"));
        for (String key : FROM_AGENT) {
            if (agentConfig.hasPath(key)) {
                door = door.withValue(key, agentConfig.getValue(key));
            }
        }
        // The jar's reference.conf binds the public protocol. Neither the agent's application.conf nor -D
        // system properties are read here (defaultReference() would apply those): nothing can widen the door.
        Config config = door.withFallback(ConfigFactory.defaultReferenceUnresolved()).resolve();
        Path clientCa = Path.of(agentConfig.getString("netkeeper.tls.dir")).resolve(ClientCredentials.CA);
        Duration idle = agentConfig.hasPath("netkeeper.api.session-idle")
                ? agentConfig.getDuration("netkeeper.api.session-idle") : DEFAULT_IDLE;
        String hostId = hostIdOf(agent);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ctx.spawn(FrontGateway.create(agent, hostId, () -> Credentials.readCertificate(clientCa), idle), FrontGateway.NAME);
            return Behaviors.empty();
        }), SYSTEM, config);
        return new ApiFront(system);
    }

    private static String hostIdOf(Agent agent) {
        try {
            return agent.submit(new Request.Describe()).toCompletableFuture().get(30, TimeUnit.SECONDS).hostId();
        } catch (Exception e) {
            throw new IllegalStateException("the agent did not say its host id: " + e, e);
        }
    }

    /** "host:port" where clients reach the door (the bound port when 0 was asked). */
    public String address() {
        return system.address().getHost().orElseThrow() + ":" + system.address().getPort().orElseThrow();
    }

    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the API door did not close in time", e);
        }
    }
}
