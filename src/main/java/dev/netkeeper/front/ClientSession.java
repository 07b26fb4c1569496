package dev.netkeeper.front;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import dev.netkeeper.identity.SessionProof;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One authenticated client's session (a child of the gateway, at a path nobody can guess, told only to the
 * client that proved its credentials): takes that client's {@link Call}s and hands their requests to the agent,
 * each attributed to the principal proved, whatever origin the request itself claims; its request id is kept.
 * Stops after {@code idle} without a call (the client opens another when a call goes unanswered), and at the first
 * call once its certificate is no longer trusted (expired, or the client CA rotated away from it).
 */
final class ClientSession {
    /** The session's own timer; never on the wire. */
    private enum Idle { TIMEOUT }

    private ClientSession() {}

    /**
     * @param origin      what the audit trail records: "tls:SUBJECT", and " as DECLARED" when the client declared more
     * @param certificate the certificate the session was opened with, checked again against {@code clientCa} (as it
     *                    is now) on every call
     */
    static Behavior<Object> create(Agent agent, String origin, X509Certificate certificate,
                                   Supplier<X509Certificate> clientCa, Duration idle) {
        return Behaviors.setup(ctx -> {
            ctx.setReceiveTimeout(idle, Idle.TIMEOUT);
            return Behaviors.receive(Object.class)
                    .onMessage(Call.class, call -> {
                        if (!stillTrusted(certificate, clientCa)) {
                            ClientSession.<StatusReply<Object>>answerable(ctx, call.replyTo()).ifPresent(replyTo -> replyTo.tell(
                                    new NetkeeperException(ErrorCode.PERMISSION_DENIED, "the session's certificate is no"
                                            + " longer trusted (expired, or the client CA changed): open a new session")
                                            .toReply()));
                            return Behaviors.stopped();
                        }
                        onCall(ctx, agent, origin, call);
                        return Behaviors.same();
                    })
                    .onMessageEquals(Idle.TIMEOUT, () -> {
                        ctx.getLog().debug("a session of {} ended: idle for {}", origin, idle);
                        return Behaviors.stopped();
                    })
                    .onAnyMessage(other -> {
                        ctx.getLog().warn("ignored a {} sent to a session: only calls are taken",
                                other.getClass().getSimpleName());
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static boolean stillTrusted(X509Certificate certificate, Supplier<X509Certificate> clientCa) {
        try {
            return SessionProof.trusted(certificate, clientCa.get());
        } catch (RuntimeException unreadable) {
            return false; // no client CA to check against: no calls
        }
    }

    private static void onCall(ActorContext<Object> ctx, Agent agent, String origin, Call<?> call) {
        Optional<ActorRef<StatusReply<Object>>> answer = answerable(ctx, call.replyTo());
        if (answer.isEmpty()) {
            return;
        }
        ActorRef<StatusReply<Object>> replyTo = answer.get();
        if (call.request() == null) {
            replyTo.tell(new NetkeeperException(ErrorCode.INVALID_REQUEST, "a call without a request").toReply());
            return;
        }
        @SuppressWarnings("unchecked")
        Request<Object> request = (Request<Object>) call.request();
        Audit claimed = request.carriedAudit();
        // a request without its audit stays without: it is refused as INVALID_REQUEST, not given one
        Request<Object> attributed = claimed == null ? request
                : request.attributedTo(Audit.now(claimed.requestId(), origin));
        agent.submit(attributed).whenComplete((value, err) -> replyTo.tell(err == null
                ? StatusReply.success(value) : NetkeeperException.of(err).toReply()));
    }

    /**
     * Where a caller is answered, when it may be: answers go back to callers only, never into the door's own
     * system or the agent's cluster (the door is no relay), and a message without one is dropped and logged.
     */
    @SuppressWarnings("unchecked")
    static <T> Optional<ActorRef<T>> answerable(ActorContext<?> ctx, ActorRef<?> replyTo) {
        if (replyTo == null) {
            ctx.getLog().warn("dropped a message with nobody to answer");
            return Optional.empty();
        }
        String system = replyTo.path().address().system();
        if (system.equals(ApiFront.SYSTEM) || system.equals(ApiFront.CLUSTER_SYSTEM)) {
            ctx.getLog().warn("dropped a message whose answer would go to {}", replyTo.path());
            return Optional.empty();
        }
        return Optional.of((ActorRef<T>) replyTo);
    }
}
