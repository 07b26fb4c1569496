package dev.netkeeper.client;

import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Call;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Requests to an agent's door (its front gateway) over Artery, each as a {@link Call}. A call that times
 * out is sent again, the same request with the same request id, up to {@code attempts} times: the agent
 * answers a repeated request id from its journal, so a retry never applies twice.
 */
final class RemoteCalls implements Calls {
    private volatile ActorRef<ApiMessage> gateway;
    private final Supplier<CompletionStage<ActorRef<ApiMessage>>> resolve;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final int attempts;

    /**
     * @param resolve finds the gateway again after a timeout: a restarted agent has a new gateway
     *                incarnation, and a reference to the old one would only reach dead letters
     */
    RemoteCalls(ActorRef<ApiMessage> gateway, Supplier<CompletionStage<ActorRef<ApiMessage>>> resolve,
                Scheduler scheduler, Duration timeout, int attempts) {
        this.gateway = gateway;
        this.resolve = resolve;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
    }

    @Override
    public <R> CompletionStage<R> send(Request<R> request) {
        CompletableFuture<R> out = new CompletableFuture<>();
        attempt(request, 1, out);
        return out;
    }

    private <R> void attempt(Request<R> request, int n, CompletableFuture<R> out) {
        AskPattern.<ApiMessage, StatusReply<R>>ask(gateway, r -> new Call<>(request, r), timeout, scheduler)
                .whenComplete((reply, err) -> {
                    if (err == null && reply.isSuccess()) {
                        out.complete(reply.getValue());
                    } else if (err == null) {
                        out.completeExceptionally(NetkeeperException.of(reply.getError()));
                    } else {
                        NetkeeperException e = NetkeeperException.of(err);
                        if (e.code() != ErrorCode.TIMEOUT) {
                            out.completeExceptionally(e);
                            return;
                        }
                        // found again either way: a restarted agent has a new gateway, which the next call
                        // (this one's retry, or any later one) must reach
                        resolve.get().whenComplete((ref, notFound) -> {
                            if (ref != null) {
                                gateway = ref;
                            }
                            if (n < attempts) {
                                attempt(request, n + 1, out);
                            } else {
                                out.completeExceptionally(new NetkeeperException(ErrorCode.TIMEOUT,
                                        "no answer from the agent after " + n + " attempt(s) of " + timeout.toMillis()
                                                + " ms"));
                            }
                        });
                    }
                });
    }
}
