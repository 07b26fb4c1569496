package dev.netkeeper.audit;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.RestartSettings;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.RestartSource;
import org.apache.pekko.stream.javadsl.Sink;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows one tag of the journal live, from its first event on, folding each event in journal order: what a part of
 * the agent that keeps a cluster-wide view (the resolvers' names, the overlay's peers) is fed by. A stream that fails
 * (the journal unreachable) starts again after a back-off from the offset it had reached, so no event is folded twice.
 */
public final class TagFollower {
    private TagFollower() {}

    /** Runs until the returned switch is shut down. */
    public static UniqueKillSwitch follow(ActorSystem<?> system, String tag,
                                          org.apache.pekko.japi.function.Procedure<EventEnvelope> fold) {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        AtomicLong reached = new AtomicLong(0L);
        RestartSettings backoff = RestartSettings.create(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2);
        return RestartSource.withBackoff(backoff, () -> journal.eventsByTag(tag, Offset.sequence(reached.get()))
                        .map(env -> {
                            fold.apply(env);
                            reached.set(((Sequence) env.offset()).value());
                            return env;
                        }))
                .viaMat(KillSwitches.single(), Keep.right())
                .to(Sink.ignore())
                .run(system);
    }
}
