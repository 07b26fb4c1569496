package dev.netkeeper.client;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Requests to the agent of this JVM, through the same {@link Agent#submit} as every door. */
final class LocalCalls implements Calls {
    private final Agent agent;
    private final Duration timeout;

    LocalCalls(Agent agent, Duration timeout) {
        this.agent = agent;
        this.timeout = timeout;
    }

    @Override
    public <R> CompletionStage<R> send(Request<R> request) {
        CompletableFuture<R> out = new CompletableFuture<>();
        agent.submit(request).toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((value, err) -> {
                    if (err == null) {
                        out.complete(value);
                    } else {
                        out.completeExceptionally(err instanceof TimeoutException // ours, from orTimeout
                                ? new NetkeeperException(ErrorCode.TIMEOUT, "no answer from the agent within "
                                + timeout.toMillis() + " ms") : NetkeeperException.of(err));
                    }
                });
        return out;
    }
}
