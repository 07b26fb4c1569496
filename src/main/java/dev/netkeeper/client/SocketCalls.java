package dev.netkeeper.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
import org.apache.pekko.Done;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Requests to the agent's local API over its unix socket: each one as it is on the wire, to
 * {@code POST /v1/call}; the agent records the socket's caller as the origin. No ActorSystem, so a command-line
 * process starts fast. A timeout is tried again (same request id) up to {@code attempts} times.
 */
final class SocketCalls implements Calls, AutoCloseable {
    private final HttpClient http;
    private final Duration timeout;
    private final int attempts;
    private final String principal;
    private final Transport socket;

    private SocketCalls(HttpClient http, Transport socket, Duration timeout, int attempts, String principal) {
        this.http = http;
        this.socket = socket;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.principal = principal;
    }

    static SocketCalls open(Path socket, ClientSettings settings) {
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP());
        http.setName("netkeeper-socket-client");
        try {
            http.start();
        } catch (Exception e) {
            throw new NetkeeperException(ErrorCode.HOST_UNAVAILABLE, "cannot start an HTTP client: " + e);
        }
        return new SocketCalls(http, new Transport.TCPUnix(socket), settings.timeout(), settings.attempts(),
                settings.principal().orElse(null));
    }

    @Override
    public <R> CompletionStage<R> send(Request<R> request) {
        String body;
        try {
            body = ApiJson.mapper().writerFor(Request.class).writeValueAsString(request);
        } catch (IOException e) {
            return Calls.failed(new NetkeeperException(ErrorCode.INVALID_REQUEST, "cannot write the request: " + e));
        }
        return attempt(body, 1);
    }

    private <R> CompletionStage<R> attempt(String body, int n) {
        var req = http.newRequest("http://localhost/v1/call").transport(socket).method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8));
        if (principal != null) {
            req.headers(h -> h.put("Netkeeper-Principal", principal));
        }
        return new CompletableResponseListener(req).send().handle((response, err) -> {
            if (err != null) {
                Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                        ? err.getCause() : err;
                if (cause instanceof TimeoutException) {
                    return n < attempts ? this.<R>attempt(body, n + 1) : CompletableFuture.<R>failedFuture(
                            new NetkeeperException(ErrorCode.TIMEOUT, "no answer from the agent after " + n
                                    + " attempt(s) of " + timeout.toMillis() + " ms"));
                }
                return CompletableFuture.<R>failedFuture(new NetkeeperException(ErrorCode.HOST_UNAVAILABLE,
                        "cannot reach the agent's socket: " + cause.getMessage()));
            }
            return CompletableFuture.completedFuture(this.<R>decode(response));
        }).thenCompose(s -> s);
    }

    @SuppressWarnings("unchecked")
    private <R> R decode(ContentResponse response) {
        JsonNode json;
        try {
            json = ApiJson.mapper().readTree(response.getContentAsString());
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "the agent answered no JSON (HTTP " + response.getStatus() + ")");
        }
        if (response.getStatus() != 200) {
            ErrorCode code;
            try {
                code = ErrorCode.valueOf(json.path("code").asText());
            } catch (IllegalArgumentException e) {
                code = ErrorCode.INTERNAL;
            }
            throw new NetkeeperException(code, json.path("message").asText("HTTP " + response.getStatus()));
        }
        if (json.path("done").asBoolean(false)) {
            return (R) Done.getInstance();
        }
        try {
            return (R) ApiJson.mapper().treeToValue(json.get("reply"), ApiMessage.class);
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "the agent's reply does not read: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // the process is ending anyway
        }
    }
}
