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
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.util.ssl.SslContextFactory;

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
    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
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
        // Jetty sizes its queues from the references per cache line, asked of the HotSpot MBean unless given: that
        // question starts the platform MBean server (JMX and JFR beans), a tenth of a second of a CLI's life
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16"); // 64-byte lines of 4-byte (compressed) references
        }
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(new PlainConnector()));
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

    /**
     * A connector for plain HTTP over the unix socket: no TLS is ever spoken on it, so its TLS context is never
     * made (starting one costs a command-line process a quarter of a second), and its buffers are sized here
     * rather than from the JVM's memory beans (which start JMX and JFR machinery for nothing).
     */
    private static final class PlainConnector extends ClientConnector {
        PlainConnector() {
            setByteBufferPool(new ArrayByteBufferPool(0, 0, 64 * 1024, 16, 4L << 20, 4L << 20));
        }

        @Override
        protected SslContextFactory.Client newSslContextFactory() {
            return new SslContextFactory.Client() {
                @Override
                protected void doStart() {
                    // never used: the socket speaks plain HTTP
                }
            };
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
