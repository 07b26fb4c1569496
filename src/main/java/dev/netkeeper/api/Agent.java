package dev.netkeeper.api;

import java.util.concurrent.CompletionStage;

/**
 * The agent of this process, as every door sees it: the Artery front for JVM clients and the CLI (and
 * later the local HTTP API, Docker and CNI adapters) hand it public requests and nothing else.
 */
public interface Agent {
    /** Carries out {@code request}; completes with its reply, or exceptionally with a {@link NetkeeperException}. */
    <R> CompletionStage<R> submit(Request<R> request);

    /** Whether it can take commands now (journal writable, member of its cluster, netlink answering). */
    CompletionStage<Readiness> readiness();
}
