package dev.netkeeper.cluster;

import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.Member;
import dev.netkeeper.kernel.HostLiveness;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Places the shard of a host (shard id = host id) on the node of that host: the member with role
 * {@link #role}(host). A namespace lives in one kernel, so its entity may run nowhere else: while the
 * host's node is absent the allocation fails (the coordinator retries, messages wait in the region and
 * the gateway refuses new commands with HOST_UNAVAILABLE), and a shard found elsewhere is handed back
 * to its host when that node is up again.
 */
public final class HostAffineAllocation extends ShardCoordinator.AbstractShardAllocationStrategy
        implements ShardCoordinator.ActorSystemDependentAllocationStrategy {
    private volatile Cluster cluster;

    /** The cluster role that marks the node of {@code host}. */
    public static String role(String host) {
        return HostLiveness.role(host);
    }

    /** The host a role marks, or null for other roles. */
    public static String hostOf(String role) {
        return HostLiveness.hostOf(role);
    }

    @Override
    public void start(ActorSystem system) {
        cluster = Cluster.get(system);
    }

    @Override
    public Future<ActorRef> allocateShard(ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> current) {
        Optional<ActorRef> home = home(shardId, current.keySet());
        return home.isPresent() ? Future.successful(home.get())
                : scala.concurrent.Future$.MODULE$.failed(new IllegalStateException("no region of host " + shardId + " is up"));
    }

    @Override
    public Future<java.util.Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> current,
                                                  java.util.Set<String> inProgress) {
        Set<String> misplaced = new HashSet<>();
        current.forEach((region, shards) -> {
            for (int i = 0; i < shards.size(); i++) {
                String shard = shards.apply(i);
                Optional<ActorRef> home = home(shard, current.keySet());
                if (home.isPresent() && !home.get().equals(region) && !inProgress.contains(shard)) {
                    misplaced.add(shard);
                }
            }
        });
        return Future.successful(misplaced);
    }

    private Optional<ActorRef> home(String host, Set<ActorRef> regions) {
        String role = role(host);
        for (ActorRef region : regions) {
            Address address = region.path().address().hasLocalScope() ? cluster.selfAddress()
                    : region.path().address();
            for (Member m : cluster.state().getMembers()) {
                if (m.address().equals(address) && m.hasRole(role) && HostLiveness.isUp(m, cluster.state())) {
                    return Optional.of(region);
                }
            }
        }
        return Optional.empty();
    }
}
