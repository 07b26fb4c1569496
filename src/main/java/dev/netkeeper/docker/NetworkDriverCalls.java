package dev.netkeeper.docker;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.EndpointLookup;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.api.Request;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Docker's remote network driver ({@code NetworkDriver.*}) carried out with public requests: a Docker network is a
 * bridge network whose addresses dockerd's IPAM hands out; an endpoint a link whose container end stays in the host
 * until dockerd moves it into the sandbox at Join (and back before DeleteEndpoint, where the pair is deleted). Every
 * call may be repeated (dockerd retries on connection errors, and replays stale calls after its own restart).
 */
final class NetworkDriverCalls {
    private static final String DRIVER = "bridge";

    private final Agent agent;

    NetworkDriverCalls(Agent agent) {
        this.agent = agent;
    }

    static Map<String, Object> capabilities() {
        return Map.of("Scope", "local", "ConnectivityScope", "local");
    }

    /** The network; one made already (a retry) is the answer as it is. */
    CompletionStage<Map<String, Object>> createNetwork(PluginMessages.CreateNetwork c, DockerCall call) {
        DockerIds ids = DockerIds.network(c.networkId());
        return agent.submit(new Request.CreateNetwork(ids.networkName(), DRIVER, DockerNetworkOptions.of(c), null,
                        call.audit()))
                .exceptionallyCompose(err -> code(err) == ErrorCode.NETWORK_EXISTS
                        ? agent.submit(new Request.GetNetwork(ids.networkName(), null, 1)) : failed(err))
                .thenApply(n -> Map.of());
    }

    /** dockerd deletes a network only once it holds no endpoint of its own: any left is stale, and goes with it. */
    CompletionStage<Map<String, Object>> deleteNetwork(PluginMessages.NetworkRef r, DockerCall call) {
        DockerIds ids = DockerIds.network(r.networkId());
        return agent.submit(new Request.DeleteNetwork(ids.networkName(), true, call.audit()))
                .exceptionallyCompose(err -> ignoring(err, ErrorCode.NO_SUCH_NETWORK))
                .thenApply(d -> Map.of());
    }

    /**
     * The link, with the addresses dockerd's IPAM gave it and the MAC dockerd asks for; answers the MAC when dockerd
     * asked for none (an Interface dockerd sent may not be changed: its address is never answered).
     */
    CompletionStage<Map<String, Object>> createEndpoint(PluginMessages.EndpointCall e, DockerCall call) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        PluginMessages.EndpointInterface asked = e.iface() == null
                ? new PluginMessages.EndpointInterface(null, null, null) : e.iface();
        LinkOptions options = new LinkOptions(null, null).requesting(DockerNetworkOptions.hostPart(asked.address()),
                DockerNetworkOptions.hostPart(asked.addressIPv6()), asked.macAddress());
        return agent.submit(new Request.Link(ids.networkName(), ids.endpointName(), null, call.audit(), options))
                .thenApply(linked -> {
                    Map<String, Object> iface = new LinkedHashMap<>();
                    if (asked.macAddress() == null || asked.macAddress().isBlank()) {
                        iface.put("MacAddress", only(linked, ids).macAddress());
                    }
                    return Map.of("Interface", iface);
                });
    }

    CompletionStage<Map<String, Object>> endpointOperInfo(PluginMessages.EndpointCall e) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        return endpoint(ids).thenApply(found -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("netkeeper.network", ids.networkName());
            value.put("netkeeper.endpoint", found.name());
            value.put("netkeeper.host", found.host());
            if (found.hostInterface() != null) {
                value.put("netkeeper.host-interface", found.hostInterface());
            }
            return Map.of("Value", value);
        });
    }

    /** The container end (still in the host) for dockerd to move into the sandbox, and the gateways for its routes. */
    CompletionStage<Map<String, Object>> join(PluginMessages.EndpointCall e) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        return endpoint(ids).thenApply(found -> {
                    if (found.interfaces().isEmpty()) {
                        throw new NetkeeperException(ErrorCode.UNKNOWN_INTERFACE, "endpoint " + found.name()
                                + " of network " + ids.networkName() + " has no interface");
                    }
                    Interface i = found.interfaces().get(0);
                    Map<String, Object> reply = new LinkedHashMap<>();
                    reply.put("InterfaceName", Map.of("SrcName", i.srcName(), "DstPrefix", prefix(i)));
                    reply.put("Gateway", i.gateway() == null ? "" : i.gateway());
                    reply.put("GatewayIPv6", i.gatewayIPv6() == null ? "" : i.gatewayIPv6());
                    reply.put("StaticRoutes", List.of());
                    reply.put("DisableGatewayService", false);
                    return reply;
                });
    }

    /** The ports dockerd binds for the endpoint ({@code docker run -p}), published unless they are already. */
    CompletionStage<Map<String, Object>> programExternalConnectivity(PluginMessages.EndpointCall e, DockerCall call) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        List<PortMapping> asked = e.portMappings();
        if (asked.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return endpoint(ids).thenCompose(found -> {
            List<PortMapping> missing = asked.stream().filter(m -> found.published().stream()
                    .noneMatch(p -> sameBinding(m, p))).toList();
            return missing.isEmpty() ? CompletableFuture.completedFuture(null)
                    : agent.submit(new Request.Publish(ids.networkName(), ids.endpointName(), missing, call.audit()));
        }).thenApply(x -> Map.of());
    }

    CompletionStage<Map<String, Object>> revokeExternalConnectivity(PluginMessages.EndpointCall e, DockerCall call) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        return EndpointLookup.find(agent, ids.networkName(), ids.endpointName()).thenCompose(found ->
                found.isEmpty() || found.get().published().isEmpty() ? CompletableFuture.completedFuture(null)
                        : agent.submit(new Request.Unpublish(ids.networkName(), ids.endpointName(),
                        found.get().published(), call.audit())).thenApply(x -> null)).thenApply(x -> Map.of());
    }

    /** The pair goes (dockerd has moved the container end back to the host by now); a stale or repeated call is done. */
    CompletionStage<Map<String, Object>> deleteEndpoint(PluginMessages.EndpointCall e, DockerCall call) {
        DockerIds ids = new DockerIds(e.networkId(), e.endpointId());
        return agent.submit(new Request.Unlink(ids.networkName(), ids.endpointName(), call.audit()))
                .exceptionallyCompose(err -> ignoring(err, ErrorCode.NO_SUCH_ENDPOINT, ErrorCode.NO_SUCH_NETWORK))
                .thenApply(x -> Map.of());
    }

    private CompletionStage<EndpointInfo> endpoint(DockerIds ids) {
        return EndpointLookup.find(agent, ids.networkName(), ids.endpointName()).thenApply(found -> found.orElseThrow(() ->
                new NetkeeperException(ErrorCode.NO_SUCH_ENDPOINT, "network " + ids.networkName() + " has no endpoint "
                        + ids.endpointName())));
    }

    /** The interface name's prefix in the sandbox: the network's (dockerd adds the lowest free index). */
    private static String prefix(Interface i) {
        String dst = i.dstName() == null || i.dstName().isEmpty() ? "eth" : i.dstName();
        int end = dst.length();
        while (end > 1 && Character.isDigit(dst.charAt(end - 1))) {
            end--;
        }
        return dst.substring(0, end);
    }

    private static Interface only(Interfaces linked, DockerIds ids) {
        if (linked.interfaces().isEmpty()) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "endpoint " + ids.endpointName() + " was linked without "
                    + "an interface");
        }
        return linked.interfaces().get(0);
    }

    private static boolean sameBinding(PortMapping asked, PortMapping published) {
        return asked.protocol().equals(published.protocol()) && asked.containerPort() == published.containerPort()
                && (asked.hostPort() == 0 || asked.hostPort() == published.hostPort());
    }

    static ErrorCode code(Throwable err) {
        return NetkeeperException.of(err).code();
    }

    static <T> CompletionStage<T> failed(Throwable err) {
        return CompletableFuture.failedFuture(err);
    }

    static <T> CompletionStage<T> ignoring(Throwable err, ErrorCode... nothingToDo) {
        ErrorCode code = code(err);
        for (ErrorCode c : nothingToDo) {
            if (c == code) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return CompletableFuture.failedFuture(err);
    }

    /** The audit of one of dockerd's calls: its origin names the call and the ids it is about. */
    record DockerCall(String origin, String requestId) {
        Audit audit() {
            return Audit.now(requestId, origin);
        }
    }
}
