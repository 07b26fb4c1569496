package dev.netkeeper.cluster;

import dev.netkeeper.identity.VerifiedHosts;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

import java.time.Duration;
import java.util.Optional;

/**
 * A member's host id is the one its certificate names, not the role it claims: when a member joins or comes up
 * with the role {@code host-X}, this node compares X with what the member proved when this node dialed it
 * ({@link VerifiedHosts}); a member that proved another host is downed at once (it would otherwise take host
 * X's namespace shard). A member not dialed yet is looked at again, a few times.
 */
final class HostIdentityGuard {
    private static final int LOOKS = 20;
    private static final Duration AGAIN = Duration.ofMillis(500);

    private interface Msg {}

    private record Seen(Member member, int look) implements Msg {}

    private HostIdentityGuard() {}

    static Behavior<Msg> create() {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberJoined.class,
                    e -> new Seen(e.member(), 1)), ClusterEvent.MemberJoined.class));
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberUp.class,
                    e -> new Seen(e.member(), 1)), ClusterEvent.MemberUp.class));
            VerifiedHosts verified = VerifiedHosts.of(Adapter.toClassic(ctx.getSystem()));
            return Behaviors.receive(Msg.class).onMessage(Seen.class, s -> {
                Member m = s.member();
                java.util.Set<String> claimed = new java.util.TreeSet<>();
                m.getRoles().stream().map(HostAffineAllocation::hostOf).filter(h -> h != null).forEach(claimed::add);
                Address a = m.address();
                if (claimed.isEmpty() || m.equals(cluster.selfMember()) || a.host().isEmpty() || a.port().isEmpty()) {
                    return Behaviors.same();
                }
                Optional<String> proved = verified.hostAt(a.host().get(), (Integer) a.port().get());
                ctx.getLog().debug("member {} claims {}, proved {} (look {})", a, claimed, proved, s.look());
                if (proved.isPresent() && !java.util.Set.of(proved.get()).equals(claimed)) {
                    ctx.getLog().error("member {} claims host(s) {} but its certificate is host {}'s: downing it", a,
                            claimed, proved.get());
                    cluster.manager().tell(new Down(a));
                } else if (proved.isEmpty() && s.look() < LOOKS) {
                    timers.startSingleTimer(a, new Seen(m, s.look() + 1), AGAIN);
                }
                return Behaviors.same();
            }).build();
        }));
    }
}
