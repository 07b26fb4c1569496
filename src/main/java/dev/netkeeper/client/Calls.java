package dev.netkeeper.client;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.network.Replies;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Asking an entity and turning the answer into a value or a typed {@link NetkeeperException}. */
final class Calls {
    private final Scheduler scheduler;
    private final Duration timeout;

    Calls(Scheduler scheduler, Duration timeout) {
        this.scheduler = scheduler;
        this.timeout = timeout;
    }

    <Q, R> CompletionStage<R> ask(RecipientRef<Q> target, Function<ActorRef<StatusReply<R>>, Q> request) {
        CompletableFuture<R> out = new CompletableFuture<>();
        AskPattern.askWithStatus(target, request::apply, timeout, scheduler).whenComplete((r, err) -> {
            if (err == null) {
                out.complete(r);
            } else {
                out.completeExceptionally(Replies.typed(unwrap(err)));
            }
        });
        return out;
    }

    static <R> R await(CompletionStage<R> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw typed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetkeeperException(ErrorCode.TIMEOUT, "interrupted");
        }
    }

    static <R> CompletionStage<R> failed(NetkeeperException e) {
        return CompletableFuture.failedFuture(e);
    }

    private static NetkeeperException typed(Throwable t) {
        return Replies.typed(unwrap(t));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
