package dev.netkeeper.identity;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.testing.TestAgent;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The cluster's port takes members only: a process that speaks plain Artery to it, or TLS with credentials that
 * another CA signed, resolves no actor there (not the receptionist, not the sharding regions) and changes nothing.
 */
class MemberPortTest {
    private static TestAgent agent;
    private static String members;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("memberport");
        var address = agent.node().system().address();
        members = "pekko://netkeeper@127.0.0.1:" + address.getPort().orElseThrow();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void plainArteryReachesNothing() {
        assertUnreachable(outsider(ConfigFactory.parseMap(Map.of("pekko.remote.artery.transport", "tcp"))));
    }

    @Test
    void credentialsOfAnotherCaReachNothing() throws Exception {
        Path dir = Files.createTempDirectory("nk-outsider-tls-");
        try {
            NodeCredentials.ensure(dir, "test-host"); // its own CA, the agent's host id even
            assertUnreachable(outsider(ConfigFactory.parseMap(Map.of("pekko.remote.artery.transport", "tls-tcp",
                    "pekko.remote.artery.ssl.ssl-engine-provider", MemberTls.class.getName(),
                    "netkeeper.tls.dir", dir.toString()))));
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ActorSystem outsider(Config transport) {
        return ActorSystem.create("netkeeper", transport.withFallback(ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "remote",
                        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.loglevel", "OFF",
                        "pekko.stdout-loglevel", "OFF")))
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static void assertUnreachable(ActorSystem outsider) {
        try {
            for (String path : List.of("/system/receptionist", "/system/sharding/Network", "/user")) {
                CompletionException e = assertThrows(CompletionException.class, () -> outsider
                        .actorSelection(members + path).resolveOne(Duration.ofSeconds(3)).toCompletableFuture().join(),
                        "resolved " + path + " on the members' port without a member's credentials");
                assertEquals(org.apache.pekko.actor.ActorNotFound.class, e.getCause().getClass(), e.toString());
            }
        } finally {
            outsider.terminate();
            try {
                outsider.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the test's verdict stands either way
            }
        }
    }
}
