package dev.netkeeper.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/audit?follow}: the audit trail as NDJSON (one record per line), then every new change as it
 * is journaled, until the caller hangs up: pages are read after the last offset sent, every {@link #POLL_MS}
 * ms once the trail is read to its end.
 */
final class AuditFollow {
    static final String NDJSON = "application/x-ndjson";
    private static final long POLL_MS = 500;
    private static final Executor LATER = CompletableFuture.delayedExecutor(POLL_MS, TimeUnit.MILLISECONDS);

    private final Agent agent;
    private final AuditQuery query;
    private final Response response;
    private final Callback done;

    private AuditFollow(Agent agent, AuditQuery query, Response response, Callback done) {
        this.agent = agent;
        this.query = query;
        this.response = response;
        this.done = done;
    }

    static void start(Agent agent, AuditQuery query, Response response, Callback done) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, NDJSON);
        new AuditFollow(agent, query, response, done).next(query.afterOffset());
    }

    private void next(long after) {
        agent.submit(new Request.QueryAudit(query.withAfterOffset(after))).whenComplete((page, err) -> {
            if (err != null) {
                done.failed(err);
            } else if (page.records().isEmpty()) {
                // nothing new: a keep-alive newline tells a caller that has gone away (the write fails)
                write("\n").whenComplete((ok, gone) -> {
                    if (gone != null) {
                        done.failed(gone);
                    } else {
                        LATER.execute(() -> next(after));
                    }
                });
            } else {
                write(lines(page)).whenComplete((ok, gone) -> {
                    if (gone != null) {
                        done.failed(gone);
                    } else {
                        next(page.lastOffset());
                    }
                });
            }
        });
    }

    private static String lines(AuditPage page) {
        StringBuilder out = new StringBuilder();
        for (AuditRecord r : page.records()) {
            try {
                out.append(ApiJson.mapper().writeValueAsString(r)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("an audit record does not write as JSON", e);
            }
        }
        return out.toString();
    }

    private CompletableFuture<Void> write(String text) {
        Callback.Completable written = new Callback.Completable();
        response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), written);
        return written;
    }
}
