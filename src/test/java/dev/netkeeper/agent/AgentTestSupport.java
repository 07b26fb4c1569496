package dev.netkeeper.agent;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.network.Replies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the agent test classes share: one agent per class, the journal as the agent wrote it, typed
 * refusals, and a clean stop that removes only what this class made.
 *
 * <p>{@link #stop} removes the namespace paths handed out by {@link #namespacePath} (plus the agent's
 * host namespace and data directory), never another test run's.
 */
final class AgentTestSupport {
    private final TestAgent agent;
    private final Set<String> namespacePaths = ConcurrentHashMap.newKeySet();

    private AgentTestSupport(TestAgent agent) {
        this.agent = agent;
    }

    static AgentTestSupport start(String role) {
        return new AgentTestSupport(TestAgent.start(role));
    }

    TestAgent agent() {
        return agent;
    }

    /** The name of the agent's host namespace, for {@code ip -n}. */
    String host() {
        return agent.host().name();
    }

    /** A fresh namespace path under the allowed root, removed by {@link #stop} if a test leaves it. */
    String namespacePath(String role) {
        String path = TestAgent.namespacePath(role);
        namespacePaths.add(path);
        return path;
    }

    /** Bridge network options with just this subnet. */
    static NetworkOptions subnet(String cidr) {
        return NetworkOptions.builder().subnet(cidr).build();
    }

    static String nsName(String path) {
        return Path.of(path).getFileName().toString();
    }

    void stop() {
        try {
            agent.node().close();
        } finally {
            for (String p : namespacePaths) {
                Path path = Path.of(p);
                if (Files.exists(path) || NetNamespace.isMounted(path)) {
                    NetNamespace.delete(path);
                }
            }
            agent.host().close();
            deleteTree(agent.dataDir());
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary directory: best effort
        }
    }

    // ---- the journal ---------------------------------------------------------------------------

    /** Every event journaled under {@code persistenceId}, in order, as the entity wrote it. */
    List<Object> events(String persistenceId) {
        ActorSystem<?> system = agent.node().system();
        JdbcReadJournal journal = PersistenceQuery.get(system.classicSystem())
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        try {
            return journal.currentEventsByPersistenceId(persistenceId, 0L, Long.MAX_VALUE)
                    .map(EventEnvelope::event)
                    .runWith(Sink.seq(), system)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("reading the journal of " + persistenceId, e);
        }
    }

    List<Object> networkEvents(String network) {
        return events("Network|" + network);
    }

    List<Object> namespaceEvents(String path) {
        return events("Namespace|" + NamespaceEntity.entityId(agent.node().settings().hostId(), path));
    }

    List<Object> directoryEvents() {
        return events("NetworkDirectory|" + NetworkDirectory.ID);
    }

    /** The directory journaled nothing for network {@code name} (no reservation, no release). */
    void assertDirectoryNeverSaw(String name) {
        for (Object e : directoryEvents()) {
            String about = e instanceof NetworkDirectory.Reserved r ? r.reservation().name()
                    : e instanceof NetworkDirectory.Released r ? r.name() : null;
            if (name.equals(about)) {
                fail("the network directory journaled " + e + " for refused network " + name);
            }
        }
    }

    /**
     * Asks an entity directly (past the client facade, e.g. to choose the request id) and waits: the
     * answer, or the typed {@link NetkeeperException} the entity replied with.
     */
    <Q, R> R ask(RecipientRef<Q> target, Function<ActorRef<StatusReply<R>>, Q> command) {
        try {
            return AskPattern.askWithStatus(target, command::apply, Duration.ofSeconds(15),
                    agent.node().system().scheduler()).toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw Replies.typed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- refusals and waiting ------------------------------------------------------------------

    /** Runs {@code call}, which must fail with {@code code} and a message holding every one of {@code words}. */
    static NetkeeperException refused(ErrorCode code, Executable call, String... words) {
        NetkeeperException e = assertThrows(NetkeeperException.class, call);
        assertEquals(code, e.code(), () -> "error code of " + e.toWire());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), () -> "message '" + e.getMessage() + "' should name '" + w + "'");
        }
        return e;
    }

    /** The link names of a namespace, for "the kernel was not touched" comparisons. */
    static List<String> links(String ns) {
        return IpOracle.linkNames(ns);
    }

    /** Polls {@code condition} for up to {@code millis}; true when it held. */
    static boolean eventually(long millis, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
