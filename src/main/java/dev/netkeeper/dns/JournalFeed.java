package dev.netkeeper.dns;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.network.NetworkEvent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Feeds the {@link NameBook} from the journal, live: every network event and every namespace event in journal order
 * (the two tags the entities write), from the first one on, on every agent alike (with a shared journal, a name of
 * another host's endpoint resolves too). A stream that fails (the journal unreachable) starts again, after a back-off,
 * from the offset it had reached, so that no event is folded twice. {@code changed} runs after each event.
 */
final class JournalFeed implements AutoCloseable {
    private final List<UniqueKillSwitch> streams = new ArrayList<>();

    JournalFeed(ActorSystem<?> system, NameBook book, Runnable changed) {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String networks = NetworkEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();
        streams.add(follow(system, journal, NetworkEntity.TAG, env -> {
            if (env.persistenceId().startsWith(networks) && env.event() instanceof NetworkEvent e) {
                book.network(env.persistenceId().substring(networks.length()), e);
                changed.run();
            }
        }));
        String namespaces = NamespaceEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();
        streams.add(follow(system, journal, NamespaceEntity.TAG, env -> {
            if (env.persistenceId().startsWith(namespaces) && env.event() instanceof NamespaceEvent e) {
                String id = env.persistenceId().substring(namespaces.length());
                NamespaceId ns = NamespaceId.parse(id);
                book.namespace(ns.host(), ns.path(), id, e);
                changed.run();
            }
        }));
    }

    private static UniqueKillSwitch follow(ActorSystem<?> system, JdbcReadJournal journal, String tag,
                                           org.apache.pekko.japi.function.Procedure<EventEnvelope> fold) {
        AtomicLong reached = new AtomicLong(0L);
        RestartSettings backoff = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
        return RestartSource.withBackoff(backoff, () -> journal.eventsByTag(tag, Offset.sequence(reached.get()))
                        .map(env -> {
                            fold.apply(env);
                            reached.set(((org.apache.pekko.persistence.query.Sequence) env.offset()).value());
                            return env;
                        }))
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.ignore())
                .run(system);
    }

    @Override
    public void close() {
        streams.forEach(UniqueKillSwitch::shutdown);
    }
}
