package dev.netkeeper.front;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

/**
 * The only actor a remote client can reach ({@code /user/gateway} of the front's ActorSystem): it takes
 * {@link Call}s and hands their requests to the agent in-process, answering each caller with the
 * outcome. Anything else is ignored; a call nobody can be answered for is dropped and logged. Supervised:
 * no message can stop it.
 */
final class FrontGateway {
    static final String NAME = "gateway";

    private FrontGateway() {}

    static Behavior<ApiMessage> create(Agent agent) {
        return Behaviors.supervise(Behaviors.<ApiMessage>setup(ctx -> Behaviors.receive(ApiMessage.class)
                .onMessage(Call.class, call -> {
                    onCall(ctx, agent, call);
                    return Behaviors.same();
                })
                .onAnyMessage(other -> {
                    ctx.getLog().warn("ignored a {} sent to the gateway: only calls are taken",
                            other.getClass().getSimpleName());
                    return Behaviors.same();
                })
                .build())).onFailure(SupervisorStrategy.restart());
    }

    private static void onCall(ActorContext<ApiMessage> ctx, Agent agent, Call<?> call) {
        @SuppressWarnings("unchecked")
        ActorRef<StatusReply<Object>> replyTo = (ActorRef<StatusReply<Object>>) (ActorRef<?>) call.replyTo();
        if (replyTo == null) {
            ctx.getLog().warn("dropped a call with nobody to answer: {}", call.request());
            return;
        }
        String system = replyTo.path().address().system();
        if (system.equals(ApiFront.SYSTEM) || system.equals(ApiFront.CLUSTER_SYSTEM)) {
            // answers go back to callers only: the door is no relay into itself or into the cluster
            ctx.getLog().warn("dropped a call whose answer would go to {}", replyTo.path());
            return;
        }
        if (call.request() == null) {
            replyTo.tell(new NetkeeperException(ErrorCode.INVALID_REQUEST, "a call without a request").toReply());
            return;
        }
        agent.submit(call.request()).whenComplete((value, err) -> replyTo.tell(err == null
                ? StatusReply.success(value) : NetkeeperException.of(err).toReply()));
    }
}
