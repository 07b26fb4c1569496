package dev.netkeeper.cluster;

import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.Reservation;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent does once it is an Up member, so that its host's kernel matches the journal even when
 * it (re)joins a running cluster, where the networks live on other nodes and did not restart with it:
 * every namespace of its host is woken (they converge on recovery), and every network is told to
 * converge this host.
 */
final class HostWakeUp {
    private static final Logger LOG = LoggerFactory.getLogger(HostWakeUp.class);

    private HostWakeUp() {}

    static void run(NetkeeperNode node, long startedAt) {
        String host = node.settings().hostId();
        String ours = NamespaceEntity.entityId(host, "");
        node.namespaceIds().whenComplete((ids, err) -> {
            if (err != null) {
                LOG.warn("could not list the namespaces of host {} to wake them: {}", host, err.toString());
                return;
            }
            ids.stream().filter(id -> id.startsWith(ours))
                    .forEach(id -> node.namespace(id).tell(new NamespaceCommand.Get(node.system().ignoreRef())));
        });
        AskPattern.<NetworkDirectory.Command, NetworkDirectory.Listing>askWithStatus(node.directory(),
                        NetworkDirectory.ListAll::new, node.settings().askTimeout(), node.system().scheduler())
                .whenComplete((listing, err) -> {
                    if (err != null) {
                        LOG.warn("could not list the networks to converge host {}: {}", host, err.toString());
                        return;
                    }
                    for (Reservation r : listing.networks()) {
                        node.network(r.name()).tell(new NetworkCommand.ConvergeHost(host, startedAt));
                    }
                });
    }
}
