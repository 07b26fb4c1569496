package dev.netkeeper.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One endpoint of a network read through the public requests: the small page that starts just before its name. */
public final class EndpointLookup {
    private EndpointLookup() {}

    /** The endpoint {@code name} of {@code network}; empty when there is none, or no such network. */
    public static CompletionStage<Optional<EndpointInfo>> find(Agent agent, String network, String name) {
        return from(agent, network, name, name.substring(0, name.length() - 1))
                .exceptionallyCompose(err -> NetkeeperException.of(err).code() == ErrorCode.NO_SUCH_NETWORK
                        ? CompletableFuture.completedFuture(Optional.empty()) : CompletableFuture.failedFuture(err));
    }

    private static CompletionStage<Optional<EndpointInfo>> from(Agent agent, String network, String name, String after) {
        return agent.submit(new Request.GetNetwork(network, after, 50)).thenCompose(page -> {
            for (EndpointInfo e : page.endpoints()) {
                if (e.name().equals(name)) {
                    return CompletableFuture.completedFuture(Optional.of(e));
                }
            }
            String next = page.endpointsNext();
            return next != null && next.compareTo(name) < 0 ? from(agent, network, name, next)
                    : CompletableFuture.completedFuture(Optional.<EndpointInfo>empty());
        });
    }
}
