package dev.netkeeper.cluster;

import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.network.Replies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;

/**
 * Relays the answer to one command for another host's namespace back to the caller, unless that host
 * is lost first: then the caller gets HOST_UNAVAILABLE at once instead of waiting for its timeout (a
 * command sent just before the host died would otherwise sit in the shard region).
 */
final class PendingAnswer {
    /** The host's node became unreachable or left. */
    record HostLost(NetkeeperException reason) {}

    private record GiveUp() {}

    private PendingAnswer() {}

    /** Stops after relaying, on HostLost, or after {@code giveUpAfter} (the caller has retried by then). */
    static Behavior<Object> create(ActorRef<StatusReply<Object>> caller, Duration giveUpAfter) {
        return Behaviors.withTimers(timers -> {
            timers.startSingleTimer(new GiveUp(), giveUpAfter);
            return Behaviors.receive(Object.class)
                    .onMessage(StatusReply.class, answer -> {
                        @SuppressWarnings("unchecked")
                        StatusReply<Object> typed = (StatusReply<Object>) answer;
                        caller.tell(typed);
                        return Behaviors.stopped();
                    })
                    .onMessage(HostLost.class, lost -> {
                        caller.tell(Replies.error(lost.reason()));
                        return Behaviors.stopped();
                    })
                    .onMessage(GiveUp.class, g -> Behaviors.stopped())
                    .build();
        });
    }
}
