package dev.netkeeper.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Docker's plugin protocol: {@code POST /<Interface>.<Method>} with a JSON body, answered with a JSON body always
 * (at least {@code {}}). One plugin implements both the network driver and the IPAM driver. A refusal carries
 * netkeeper's error code and message in the interface's own field: {@code Err} for the network driver and the plugin
 * itself, {@code Error} for IPAM (as moby's {@code remote/api} packages read them).
 */
public final class DockerPlugin {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DockerPlugin.class);
    static final String NETWORK_DRIVER = "NetworkDriver";
    static final String IPAM_DRIVER = "IpamDriver";

    private final NetworkDriverCalls network;
    private final IpamDriverCalls ipam;
    private final ObjectMapper json = ApiJson.mapper();

    public DockerPlugin(Agent agent) {
        this.network = new NetworkDriverCalls(agent);
        this.ipam = new IpamDriverCalls(agent);
    }

    /** The answer's body and whether it is a refusal. */
    public record Answer(boolean ok, Map<String, Object> body) {}

    /** Carries out the call {@code path} ("/NetworkDriver.Join") for {@code caller}; never completes exceptionally. */
    public CompletionStage<Answer> call(String path, String body, String caller) {
        String method = path.startsWith("/") ? path.substring(1) : path;
        long started = System.nanoTime();
        CompletionStage<Map<String, Object>> answer;
        try {
            answer = dispatch(method, body == null || body.isBlank() ? "{}" : body, caller);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((ok, err) -> {
            long micros = (System.nanoTime() - started) / 1000;
            if (err == null) {
                log.info("docker {} ok in {} µs", method, micros);
                return new Answer(true, ok);
            }
            NetkeeperException e = NetkeeperException.of(err);
            log.info("docker {} refused in {} µs: {}", method, micros, e.toWire());
            String field = method.startsWith(IPAM_DRIVER + ".") ? "Error" : "Err";
            return new Answer(false, Map.of(field, e.code() + ": " + e.getMessage()));
        });
    }

    private CompletionStage<Map<String, Object>> dispatch(String method, String body, String caller) {
        JsonNode tree = read(body, method);
        NetworkDriverCalls.DockerCall call = new NetworkDriverCalls.DockerCall(caller + " as docker " + method
                + ids(tree), "docker-" + UUID.randomUUID());
        return switch (method) {
            case "Plugin.Activate" -> done(Map.of("Implements", List.of(NETWORK_DRIVER, IPAM_DRIVER)));
            case "NetworkDriver.GetCapabilities" -> done(NetworkDriverCalls.capabilities());
            case "NetworkDriver.CreateNetwork" -> network.createNetwork(as(tree, PluginMessages.CreateNetwork.class), call);
            case "NetworkDriver.DeleteNetwork" -> network.deleteNetwork(as(tree, PluginMessages.NetworkRef.class), call);
            case "NetworkDriver.CreateEndpoint" -> network.createEndpoint(endpoint(tree), call);
            case "NetworkDriver.EndpointOperInfo" -> network.endpointOperInfo(endpoint(tree));
            case "NetworkDriver.DeleteEndpoint" -> network.deleteEndpoint(endpoint(tree), call);
            case "NetworkDriver.Join" -> network.join(endpoint(tree));
            case "NetworkDriver.Leave" -> done(Map.of()); // dockerd moves the interface back itself
            case "NetworkDriver.ProgramExternalConnectivity" -> network.programExternalConnectivity(endpoint(tree), call);
            case "NetworkDriver.RevokeExternalConnectivity" -> network.revokeExternalConnectivity(endpoint(tree), call);
            case "NetworkDriver.DiscoverNew", "NetworkDriver.DiscoverDelete" -> done(Map.of());
            case "IpamDriver.GetCapabilities" -> done(IpamDriverCalls.capabilities());
            case "IpamDriver.GetDefaultAddressSpaces" -> done(IpamDriverCalls.defaultAddressSpaces());
            case "IpamDriver.RequestPool" -> ipam.requestPool(as(tree, PluginMessages.RequestPool.class), call);
            case "IpamDriver.ReleasePool" -> ipam.releasePool(as(tree, PluginMessages.PoolRef.class), call);
            case "IpamDriver.RequestAddress" -> ipam.requestAddress(as(tree, PluginMessages.RequestAddress.class), call);
            case "IpamDriver.ReleaseAddress" -> ipam.releaseAddress(as(tree, PluginMessages.ReleaseAddress.class), call);
            default -> throw new NetkeeperException(ErrorCode.NOT_SUPPORTED, "netkeeper's Docker plugin has no call "
                    + method + " (it is a local-scope NetworkDriver and an IpamDriver)");
        };
    }

    /** " network 9246f7c94bef endpoint f3931475a3da" (or a pool), for the audit origin. */
    private static String ids(JsonNode tree) {
        StringBuilder s = new StringBuilder();
        for (String[] f : new String[][] {{"NetworkID", "network"}, {"EndpointID", "endpoint"}, {"PoolID", "pool"}}) {
            String v = tree.path(f[0]).asText("");
            if (!v.isEmpty()) {
                s.append(' ').append(f[1]).append(' ').append(v.length() > 12 && !f[0].equals("PoolID")
                        ? v.substring(0, 12) : v);
            }
        }
        return s.toString();
    }

    private JsonNode read(String body, String method) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new NetkeeperException(ErrorCode.INVALID_REQUEST, method + ": the body is no JSON object");
            }
            return tree;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, method + ": the body is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    private PluginMessages.EndpointCall endpoint(JsonNode tree) {
        return as(tree, PluginMessages.EndpointCall.class);
    }

    private <T> T as(JsonNode tree, Class<T> type) {
        try {
            return json.treeToValue(tree, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "the body is no " + type.getSimpleName() + ": "
                    + e.getMessage());
        }
    }

    private static CompletionStage<Map<String, Object>> done(Map<String, Object> body) {
        return CompletableFuture.completedFuture(body);
    }
}
