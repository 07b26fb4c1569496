package dev.netkeeper.client;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** How a client sends a request: to the agent in this JVM, or through the agent's door over Artery. */
interface Calls {
    /** Completes with the reply, or exceptionally with a typed {@link NetkeeperException}. */
    <R> CompletionStage<R> send(Request<R> request);

    static <R> R await(CompletionStage<R> stage) {
        try {
            return stage.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw NetkeeperException.of(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetkeeperException(ErrorCode.TIMEOUT, "interrupted");
        }
    }

    static <R> CompletionStage<R> failed(NetkeeperException e) {
        return CompletableFuture.failedFuture(e);
    }
}
