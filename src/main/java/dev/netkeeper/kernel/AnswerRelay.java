package dev.netkeeper.kernel;

import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;

/**
 * Relays the answer to one request sent to another host (a command for its namespace, kernel work for its
 * netlink actor) back to the caller, unless that host is lost first: then the caller gets
 * HOST_UNAVAILABLE at once instead of waiting for its timeout (a request sent just before the host died
 * would otherwise sit in a shard region or on a dead connection).
 */
public final class AnswerRelay {
    /** The host's node became unreachable or left. */
    public record HostLost(NetkeeperException reason) {}

    private record GiveUp() {}

    private AnswerRelay() {}

    /** Stops after relaying, on HostLost, or after {@code giveUpAfter} (the caller has given up by then). */
    public static Behavior<Object> create(ActorRef<StatusReply<Object>> caller, Duration giveUpAfter) {
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
                        caller.tell(StatusReply.error(lost.reason().toWire()));
                        return Behaviors.stopped();
                    })
                    .onMessage(GiveUp.class, g -> Behaviors.stopped())
                    .build();
        });
    }
}
