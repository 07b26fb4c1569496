package dev.netkeeper.dns;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.audit.TagFollower;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.network.NetworkEvent;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.UniqueKillSwitch;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the {@link NameBook} from the journal, live: every network event and every namespace event in journal order
 * (the two tags the entities write), from the first one on, on every agent alike (with a shared journal, a name of
 * another host's endpoint resolves too). A stream that fails (the journal unreachable) starts again, after a back-off,
 * from the offset it had reached, so that no event is folded twice. {@code changed} runs after each event.
 */
final class JournalFeed implements AutoCloseable {
    private final List<UniqueKillSwitch> streams = new ArrayList<>();

    JournalFeed(ActorSystem<?> system, NameBook book, Runnable changed) {
        String networks = NetworkEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();
        streams.add(TagFollower.follow(system, NetworkEntity.TAG, env -> {
            if (env.persistenceId().startsWith(networks) && env.event() instanceof NetworkEvent e) {
                book.network(env.persistenceId().substring(networks.length()), e);
                changed.run();
            }
        }));
        String namespaces = NamespaceEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();
        streams.add(TagFollower.follow(system, NamespaceEntity.TAG, env -> {
            if (env.persistenceId().startsWith(namespaces) && env.event() instanceof NamespaceEvent e) {
                String id = env.persistenceId().substring(namespaces.length());
                NamespaceId ns = NamespaceId.parse(id);
                book.namespace(ns.host(), ns.path(), id, e);
                changed.run();
            }
        }));
    }

    @Override
    public void close() {
        streams.forEach(UniqueKillSwitch::shutdown);
    }
}
