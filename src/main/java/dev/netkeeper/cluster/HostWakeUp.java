package dev.netkeeper.cluster;

import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.network.NetworkCommand;
import org.apache.pekko.Done;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
 * converge this host. Once they all have, the host's firewall settles (its table becomes exactly what the
 * journal says; before that it only adds, so that a restart cuts no published port).
 */
final class HostWakeUp {
    private static final Logger LOG = LoggerFactory.getLogger(HostWakeUp.class);

    /** How long the firewall waits for the networks before it settles with what it heard. */
    static final Duration SETTLE_WITHIN = Duration.ofSeconds(60);

    private HostWakeUp() {}

    /**
     * Wakes every namespace of the host the journal knows (they converge on recovery); the listing is tried again,
     * later and later, when the journal cannot give it: nothing else wakes them (the shards do not remember them).
     */
    private static void wakeNamespaces(NetkeeperNode node, String host, int attempt) {
        String ours = NamespaceEntity.entityId(host, "");
        node.namespaceIds().whenComplete((ids, err) -> {
            if (err != null) {
                Duration again = Duration.ofSeconds(Math.min(30, 1L << Math.min(attempt, 5)));
                LOG.warn("could not list the namespaces of host {} to wake them (attempt {}), again in {} s: {}", host,
                        attempt, again.toSeconds(), err.toString());
                node.system().scheduler().scheduleOnce(again, () -> wakeNamespaces(node, host, attempt + 1),
                        node.system().executionContext());
                return;
            }
            ids.stream().filter(id -> id.startsWith(ours))
                    .forEach(id -> node.namespace(id).tell(new NamespaceCommand.Get(node.system().ignoreRef())));
        });
    }

    static void run(NetkeeperNode node, long startedAt) {
        String host = node.settings().hostId();
        wakeNamespaces(node, host, 1);
        AskPattern.<NetworkDirectory.Command, NetworkDirectory.Listing>askWithStatus(node.directory(),
                        NetworkDirectory.ListAll::new, node.settings().askTimeout(), node.system().scheduler())
                .whenComplete((listing, err) -> {
                    if (err != null) {
                        LOG.warn("could not list the networks to converge host {}: {}", host, err.toString());
                        node.system().scheduler().scheduleOnce(SETTLE_WITHIN,
                                () -> node.netlink().tell(new NetlinkActor.SettleFirewall()), node.system().executionContext());
                        return;
                    }
                    List<CompletableFuture<Done>> converges = new ArrayList<>();
                    for (Reservation r : listing.networks()) {
                        converges.add(AskPattern.<NetworkCommand, Done>ask(node.network(r.name()),
                                replyTo -> new NetworkCommand.ConvergeHost(host, startedAt, replyTo),
                                SETTLE_WITHIN, node.system().scheduler()).toCompletableFuture());
                    }
                    // every network has converged this host (or did not say so in time): the firewall settles
                    CompletableFuture.allOf(converges.toArray(new CompletableFuture[0])).whenComplete((ok, late) -> {
                        if (late != null) {
                            LOG.warn("not every network converged host {} within {}; its firewall settles all the same: {}",
                                    host, SETTLE_WITHIN, late.toString());
                        }
                        node.netlink().tell(new NetlinkActor.SettleFirewall());
                    });
                });
    }
}
