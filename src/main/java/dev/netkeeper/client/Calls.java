package dev.netkeeper.client;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.cluster.Gateway;
import dev.netkeeper.network.Replies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Asking the agent's gateway and turning the answer into a value or a typed {@link NetkeeperException}.
 * A call that times out is sent again, the same message with the same request id, up to
 * {@code attempts} times: the entity answers a repeated request id from its journal, so a retry never
 * applies twice.
 */
final class Calls {
    private volatile ActorRef<Gateway.Command> gateway;
    private final Supplier<CompletionStage<ActorRef<Gateway.Command>>> resolve;
    private final Scheduler scheduler;
    private final Duration timeout;
    private final int attempts;

    /**
     * @param resolve finds the gateway again after a timeout: a restarted agent has a new gateway
     *                incarnation, and a reference to the old one would only reach dead letters
     */
    Calls(ActorRef<Gateway.Command> gateway, Supplier<CompletionStage<ActorRef<Gateway.Command>>> resolve,
          Scheduler scheduler, Duration timeout, int attempts) {
        this.gateway = gateway;
        this.resolve = resolve;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
    }

    <R> CompletionStage<R> ask(Function<ActorRef<StatusReply<R>>, Gateway.Command> request) {
        CompletableFuture<R> out = new CompletableFuture<>();
        attempt(request, 1, out);
        return out;
    }

    private <R> void attempt(Function<ActorRef<StatusReply<R>>, Gateway.Command> request, int n,
                             CompletableFuture<R> out) {
        AskPattern.<Gateway.Command, StatusReply<R>>ask(gateway, request::apply, timeout, scheduler)
                .whenComplete((reply, err) -> {
                    if (err == null && reply.isSuccess()) {
                        out.complete(reply.getValue());
                    } else if (err == null) {
                        out.completeExceptionally(Replies.typed(reply.getError()));
                    } else {
                        NetkeeperException e = Replies.typed(unwrap(err));
                        if (e.code() == ErrorCode.TIMEOUT && n < attempts) {
                            resolve.get().whenComplete((ref, notFound) -> {
                                if (ref != null) {
                                    gateway = ref;
                                }
                                attempt(request, n + 1, out);
                            });
                        } else {
                            out.completeExceptionally(e.code() == ErrorCode.TIMEOUT ? new NetkeeperException(
                                    ErrorCode.TIMEOUT, "no answer from the agent after " + n + " attempt(s) of "
                                    + timeout.toMillis() + " ms") : e);
                        }
                    }
                });
    }

    static <R> R await(CompletionStage<R> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw Replies.typed(unwrap(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetkeeperException(ErrorCode.TIMEOUT, "interrupted");
        }
    }

    static <R> CompletionStage<R> failed(NetkeeperException e) {
        return CompletableFuture.failedFuture(e);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
