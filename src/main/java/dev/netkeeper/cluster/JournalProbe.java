package dev.netkeeper.cluster;

import dev.netkeeper.kernel.CborSerializable;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

import java.time.Duration;

/**
 * Whether the journal takes writes: each probe journals one small event and answers once it is written, so a
 * journal that is full, read-only, locked or away shows as a probe that fails or does not answer. Old probes
 * are deleted as it snapshots, so the journal does not grow with them. One per host ("JournalProbe|HOST").
 */
public final class JournalProbe extends EventSourcedBehavior<JournalProbe.Probe, JournalProbe.Probed, Long> {
    /** Local only: the node asks its own probe. */
    record Probe(ActorRef<Done> replyTo) {}

    /** The journaled event. */
    public record Probed(long atMillis) implements CborSerializable {}

    private JournalProbe(String hostId) {
        // a write that failed does not end the probe: it starts again, and the next probe writes again
        super(PersistenceId.of("JournalProbe", hostId), SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200),
                Duration.ofSeconds(1), 0.1));
    }

    static Behavior<Probe> create(String hostId) {
        return new JournalProbe(hostId);
    }

    @Override
    public Long emptyState() {
        return 0L;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(50, 1).withDeleteEventsOnSnapshot();
    }

    @Override
    public CommandHandler<Probe, Probed, Long> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Probe.class, (n, p) ->
                Effect().persist(new Probed(System.currentTimeMillis())).thenReply(p.replyTo(), s -> Done.getInstance())).build();
    }

    @Override
    public EventHandler<Long, Probed> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((n, e) -> n + 1);
    }
}
