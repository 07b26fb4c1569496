package dev.netkeeper.kernel;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The {@link AnswerRelay}s of requests an actor has in flight to other hosts, by host, so that all of a
 * host's can be told at once when it is lost. Owned by that actor and used only from it; the actor
 * hands each relay's end ({@code ended}, a message to itself) back to {@link #ended}.
 */
public final class RelaysByHost<C> {
    private final ActorContext<C> ctx;
    private final Duration giveUpAfter;
    private final BiFunction<String, ActorRef<Object>, C> ended;
    private final Map<String, Set<ActorRef<Object>>> byHost = new HashMap<>();

    public RelaysByHost(ActorContext<C> ctx, Duration giveUpAfter, BiFunction<String, ActorRef<Object>, C> ended) {
        this.ctx = ctx;
        this.giveUpAfter = giveUpAfter;
        this.ended = ended;
    }

    /** A relay to {@code caller} for a request to {@code host}: send the request with it as reply-to. */
    public ActorRef<Object> open(String host, ActorRef<? extends StatusReply<?>> caller) {
        @SuppressWarnings("unchecked")
        ActorRef<StatusReply<Object>> to = (ActorRef<StatusReply<Object>>) (ActorRef<?>) caller;
        ActorRef<Object> relay = ctx.spawnAnonymous(AnswerRelay.create(to, giveUpAfter));
        ctx.watchWith(relay, ended.apply(host, relay));
        byHost.computeIfAbsent(host, h -> new HashSet<>()).add(relay);
        return relay;
    }

    /** The relay stopped (it answered, was told the host was lost, or gave up). */
    public void ended(String host, ActorRef<Object> relay) {
        Set<ActorRef<Object>> relays = byHost.get(host);
        if (relays != null && relays.remove(relay) && relays.isEmpty()) {
            byHost.remove(host);
        }
    }

    /** {@code host} is gone: every request in flight there is answered HOST_UNAVAILABLE now. */
    public void lost(String host) {
        Set<ActorRef<Object>> relays = byHost.remove(host);
        if (relays != null) {
            relays.forEach(r -> r.tell(new AnswerRelay.HostLost(KernelRouter.unavailable(host))));
        }
    }
}
