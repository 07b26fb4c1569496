package dev.netkeeper.journal;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether the journal takes writes, as its last write said ({@link ObservedJournalDao} reports each): a write that
 * failed (disk full, read-only, locked) makes the journal failing until a later write succeeds. The agent refuses
 * changing commands with JOURNAL while it is failing, instead of letting each caller time out, and probes the
 * journal until it takes writes again. Counted: the writes that failed.
 */
public final class JournalHealth implements Extension {
    public static final Id ID = new Id();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong failedWrites = new AtomicLong();
    private final java.util.List<java.util.function.Consumer<String>> onFailure = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static final class Id extends AbstractExtensionId<JournalHealth> {
        @Override
        public JournalHealth createExtension(ExtendedActorSystem system) {
            return new JournalHealth();
        }
    }

    public static JournalHealth of(org.apache.pekko.actor.ActorSystem system) {
        return ID.get(system);
    }

    void written() {
        failure.set(null);
    }

    void failed(Throwable cause) {
        failedWrites.incrementAndGet();
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage() == null ? root.toString() : root.getMessage();
        failure.set(why);
        onFailure.forEach(l -> l.accept(why));
    }

    /** {@code listener} hears why each failed write failed, as it fails. */
    public void onFailure(java.util.function.Consumer<String> listener) {
        onFailure.add(listener);
    }

    /** Why the last write failed, while no write has succeeded since. */
    public Optional<String> failing() {
        return Optional.ofNullable(failure.get());
    }

    /** Journal writes that failed since the agent started. */
    public long failedWrites() {
        return failedWrites.get();
    }
}
