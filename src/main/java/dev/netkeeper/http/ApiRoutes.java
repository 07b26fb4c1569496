package dev.netkeeper.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.Agent;
import dev.netkeeper.cni.CniCall;
import dev.netkeeper.cni.CniPlugin;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The local API's resources, version 1: every route in one table, each one public request of {@code api/}.
 * A namespace's path travels as a query parameter ({@code ?path=}), since an encoded '/' in a path segment
 * is refused by HTTP servers by design. Lists page with {@code ?limit=&after=}. {@code POST /v1/call} takes
 * any public request as it is on the wire ({"@request": ...}), which is how the CLI speaks the socket.
 */
final class ApiRoutes {
    private final Agent agent;
    private final CniPlugin cni;

    ApiRoutes(Agent agent, CniPlugin cni) {
        this.agent = agent;
        this.cni = cni;
    }

    List<Route> table() {
        return List.of(
                Route.of("GET", "/v1/networks", x -> ok(new Request.ListNetworks(x.query("after"), x.queryInt("limit")))),
                Route.of("POST", "/v1/networks", this::createNetwork),
                Route.of("GET", "/v1/networks/{name}", x -> ok(new Request.GetNetwork(x.path("name"), x.query("after"),
                        x.queryInt("limit")))),
                Route.of("DELETE", "/v1/networks/{name}", x -> ok(new Request.DeleteNetwork(x.path("name"),
                        x.queryFlag("force"), x.audit()))),
                Route.of("POST", "/v1/networks/{name}/endpoints", x -> created(new Request.Link(x.path("name"),
                        x.field("name"), x.field("host"), x.audit(),
                        new LinkOptions(x.field("namespace"), x.field("dstName"), ports(x, PortMapping::parse),
                                x.field("address"), x.field("addressIPv6"), x.field("macAddress"), strings(x, "aliases"))))),
                Route.of("POST", "/v1/networks/{name}/endpoints/{endpoint}/ports", x -> ok(new Request.Publish(
                        x.path("name"), x.path("endpoint"), ports(x, PortMapping::parse), x.audit()))),
                Route.of("DELETE", "/v1/networks/{name}/endpoints/{endpoint}/ports", x -> ok(new Request.Unpublish(
                        x.path("name"), x.path("endpoint"), List.of(PortMapping.hostSide(x.requiredQuery("port"))),
                        x.audit()))),
                Route.of("GET", "/v1/networks/{name}/endpoints/{endpoint}", this::endpoint),
                Route.of("DELETE", "/v1/networks/{name}/endpoints/{endpoint}", x -> ok(new Request.Unlink(x.path("name"),
                        x.path("endpoint"), x.audit()))),
                Route.of("GET", "/v1/namespaces", x -> ok(new Request.ListNamespaces(x.query("after"), x.queryInt("limit")))),
                Route.of("POST", "/v1/namespaces", this::createNamespace),
                Route.of("GET", "/v1/namespace", x -> ok(new Request.GetNamespace(x.query("host"), x.requiredQuery("path")))),
                Route.of("DELETE", "/v1/namespace", x -> ok(new Request.DeleteNamespace(x.query("host"),
                        x.requiredQuery("path"), x.audit()))),
                Route.of("GET", "/v1/namespace/check", x -> ok(new Request.CheckNamespace(x.query("host"),
                        x.requiredQuery("path"), x.query("dstName")))),
                Route.of("POST", "/v1/namespace/interfaces", x -> created(new Request.AddInterface(x.query("host"),
                        x.requiredQuery("path"), x.body(Interface.class), x.audit()))),
                Route.of("DELETE", "/v1/namespace/interfaces", x -> ok(new Request.RemoveInterface(x.query("host"),
                        x.requiredQuery("path"), x.requiredQuery("dstName"), x.audit()))),
                Route.of("GET", "/v1/hosts", x -> ok(new Request.ListHosts())),
                Route.of("GET", "/v1/agent", x -> ok(new Request.Describe())),
                Route.of("GET", "/v1/audit", x -> ok(new Request.QueryAudit(auditQuery(x)))),
                Route.of("GET", "/v1/audit/state-at", x -> ok(new Request.QueryStateAt(
                        java.util.Optional.ofNullable(x.queryLong("at")).orElseGet(System::currentTimeMillis),
                        x.query("network")))),
                Route.of("POST", "/v1/call", this::call),
                Route.of("POST", "/v1/cni", this::cni));
    }

    /** {@code {"name": "net1", "driver": "bridge", "options": {...}, "host": null}} */
    private CompletionStage<Answer> createNetwork(Exchange x) {
        JsonNode options = x.body().get("options");
        NetworkOptions parsed;
        try {
            parsed = options == null || options.isNull() ? null : ApiJson.mapper().treeToValue(options, NetworkOptions.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "options: " + e.getOriginalMessage());
        }
        String driver = x.field("driver");
        return created(new Request.CreateNetwork(x.field("name"), driver == null ? "bridge" : driver, parsed,
                x.field("host"), x.audit()));
    }

    /** The body's {@code "publish": ["8080:80/tcp", ...]}, each in Docker's form. */
    private static List<PortMapping> ports(Exchange x, java.util.function.Function<String, PortMapping> parse) {
        return strings(x, "publish").stream().map(parse).toList();
    }

    /** The body's list of strings {@code field} (none: empty). */
    private static List<String> strings(Exchange x, String field) {
        JsonNode list = x.body().get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, field + " must be a list of strings");
        }
        List<String> out = new java.util.ArrayList<>();
        list.forEach(m -> out.add(m.asText()));
        return out;
    }

    /** {@code {"path": "/var/run/netns/c1", "host": null, "use": false}}: made by netkeeper, or (use) someone else's. */
    private CompletionStage<Answer> createNamespace(Exchange x) {
        JsonNode use = x.body().get("use");
        if (use != null && use.asBoolean()) {
            return created(new Request.UseNamespace(x.field("host"), x.field("path"), x.audit()));
        }
        return created(new Request.CreateNamespace(x.field("host"), x.field("path"), x.audit()));
    }

    /** One endpoint of a network: its pages are read, in name order, until it is found. */
    private CompletionStage<Answer> endpoint(Exchange x) {
        return findEndpoint(x.path("name"), x.path("endpoint"), null).thenApply(Answer::ok);
    }

    private CompletionStage<EndpointInfo> findEndpoint(String network, String endpoint, String after) {
        return agent.submit(new Request.GetNetwork(network, after, Request.MAX_PAGE)).thenCompose((NetworkInfo page) -> {
            for (EndpointInfo e : page.endpoints()) {
                if (e.name().equals(endpoint)) {
                    return CompletableFuture.completedFuture(e);
                }
            }
            if (page.endpointsNext() == null || page.endpointsNext().compareTo(endpoint) >= 0) {
                throw new NetkeeperException(ErrorCode.NO_SUCH_ENDPOINT, "network " + network + " has no endpoint " + endpoint);
            }
            return findEndpoint(network, endpoint, page.endpointsNext());
        });
    }

    /**
     * One execution of the CNI shim: the CNI_ variables as headers ({@link CniCall#HEADERS}), the configuration as
     * the body. 200 with what the shim prints (nothing, or a result), or 400 with the CNI error it prints and exits 1.
     */
    private CompletionStage<Answer> cni(Exchange x) {
        CniCall call = CniCall.of(x::header, x.rawBody());
        return cni.handle(call, x.caller().origin(null)).thenApply(reply -> reply.body() == null
                ? new Answer(200, "", "text/plain; charset=utf-8")
                : new Answer(reply.ok() ? 200 : 400, reply.body(), Answer.JSON));
    }

    /** Any public request as it travels on the wire, attributed to the socket's caller; {"reply": ...} or {"done": true}. */
    private CompletionStage<Answer> call(Exchange x) {
        Request<?> request = x.body(Request.class);
        String own = requestIdOf(x.body());
        return agent.submit(request.attributedTo(x.audit(own))).thenApply(reply -> Answer.ok(
                reply instanceof org.apache.pekko.Done ? Map.of("done", true) : Map.of("reply", typed(reply))));
    }

    /** A reply with its type name ("@type"), which a value inside a map would not carry by itself. */
    private static JsonNode typed(Object reply) {
        try {
            return ApiJson.mapper().readTree(ApiJson.mapper().writerFor(dev.netkeeper.api.ApiMessage.class)
                    .writeValueAsString(reply));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot write the reply: " + e.getOriginalMessage());
        }
    }

    private static String requestIdOf(JsonNode body) {
        JsonNode id = body.path("audit").path("requestId");
        return id.isTextual() ? id.asText() : null;
    }

    /** The audit query of {@code ?network=&namespace=&since=&until=&after=&limit=} (epoch milliseconds). */
    static AuditQuery auditQuery(Exchange x) {
        Long after = x.queryLong("after");
        return new AuditQuery(x.query("network"), x.query("namespace"), x.queryLong("since"), x.queryLong("until"),
                after == null ? 0L : after, x.queryInt("limit"));
    }

    private CompletionStage<Answer> ok(Request<?> request) {
        return agent.submit(request).thenApply(ApiRoutes::body).thenApply(Answer::ok);
    }

    private CompletionStage<Answer> created(Request<?> request) {
        return agent.submit(request).thenApply(ApiRoutes::body).thenApply(Answer::created);
    }

    /** What a reply is written as: itself, or {} for a plain acknowledgement. */
    private static Object body(Object reply) {
        return reply instanceof org.apache.pekko.Done ? Map.of() : reply;
    }
}
