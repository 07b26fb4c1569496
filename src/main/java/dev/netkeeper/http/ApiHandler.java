package dev.netkeeper.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Readiness;
import dev.netkeeper.cni.CniPlugin;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Every request of the socket: the caller checked first, then health and metrics, then the route table.
 * A refusal is {@code {"code": ..., "message": ...}} with the status its error code's kind maps to.
 */
final class ApiHandler extends Handler.Abstract {
    private static final List<String> AUDIT = List.of("v1", "audit");
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Route> routes;
    private final Agent agent;
    private final Supplier<String> metrics;
    private final CniPlugin cni;
    private final SocketPeers peers;

    ApiHandler(List<Route> routes, Agent agent, Supplier<String> metrics, CniPlugin cni, SocketPeers peers) {
        this.routes = routes;
        this.agent = agent;
        this.metrics = metrics;
        this.cni = cni;
        this.peers = peers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Optional<Caller> caller = SocketPeers.of(request.getConnectionMetaData().getConnection().getEndPoint());
        if (caller.isEmpty() || !peers.allowed(caller.get())) {
            write(response, callback, Answer.error(new NetkeeperException(ErrorCode.PERMISSION_DENIED, "user "
                    + caller.map(Caller::user).orElse("(unknown)") + " may not use the local API: it serves root and "
                    + "the group " + LocalApi.GROUP)));
            return true;
        }
        String method = request.getMethod();
        List<String> path = Route.split(request.getHttpURI().getDecodedPath());
        if (method.equals("GET") && path.equals(AUDIT) && Request.extractQueryParameters(request).get("follow") != null) {
            try {
                AuditFollow.start(agent, ApiRoutes.auditQuery(new Exchange(request, caller.get(), Map.of())), response, callback);
            } catch (NetkeeperException e) {
                write(response, callback, Answer.error(e));
            }
            return true;
        }
        CompletionStage<Answer> answer;
        try {
            answer = answer(method, path, request, caller.get());
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((a, err) -> write(response, callback, err == null ? a : Answer.error(NetkeeperException.of(err))));
        return true;
    }

    private CompletionStage<Answer> answer(String method, List<String> path, Request request, Caller caller) {
        String joined = "/" + String.join("/", path);
        switch (joined) {
            case "/healthz" -> {
                return CompletableFuture.completedFuture(Answer.ok(Map.of("status", "alive")));
            }
            case "/readyz" -> {
                return agent.readiness().thenCompose((Readiness agentChecks) -> cni.readiness(agentChecks.ready())
                        .thenApply(spool -> readyz(agentChecks, spool)));
            }
            case "/metrics" -> {
                return CompletableFuture.completedFuture(new Answer(200, metrics.get(), PROMETHEUS_TEXT));
            }
            default -> {
                // fall through to the route table
            }
        }
        boolean pathKnown = false;
        for (Route r : routes) {
            Optional<Map<String, String>> params = r.match(path);
            if (params.isEmpty()) {
                continue;
            }
            pathKnown = true;
            if (r.method().equals(method)) {
                return r.action().answer(new Exchange(request, caller, params.get()));
            }
        }
        return CompletableFuture.completedFuture(new Answer(pathKnown ? 405 : 404, Map.of("code", ErrorCode.INVALID_REQUEST.name(),
                "message", (pathKnown ? "no " + method + " on " : "no resource ") + joined), Answer.JSON));
    }

    /** The agent's checks with the CNI spool's ({@code spool}: the DELs the plugin spooled while the agent was away). */
    private static Answer readyz(Readiness agentChecks, String spool) {
        java.util.Map<String, String> checks = new java.util.TreeMap<>(agentChecks.checks());
        checks.put("cni-spool", spool);
        Readiness r = new Readiness(checks, agentChecks.warnings());
        java.util.Map<String, Object> body = new java.util.TreeMap<>(r.checks());
        if (!r.warnings().isEmpty()) {
            body.put("warnings", r.warnings()); // not a failed check: ready all the same
        }
        return new Answer(r.ready() ? 200 : 503, body, Answer.JSON);
    }

    private static void write(Response response, Callback callback, Answer answer) {
        String text;
        if (answer.body() instanceof String s && !Answer.JSON.equals(answer.contentType())) {
            text = s;
        } else {
            try {
                text = ApiJson.mapper().writeValueAsString(answer.body()) + "\n";
            } catch (JsonProcessingException e) {
                answer = new Answer(500, null, Answer.JSON);
                text = "{\"code\":\"INTERNAL\",\"message\":\"cannot write the reply as JSON\"}\n";
            }
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
        Content.Sink.write(response, true, text, callback);
    }
}
