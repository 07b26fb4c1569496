package dev.netkeeper.docker;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.Request;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Docker's remote IPAM driver ({@code IpamDriver.*}): pools and addresses journaled by netkeeper's directory
 * ({@link Request.RequestPool}), reference counted, so that a network made on such a pool is never handed an address
 * twice and none overlaps another netkeeper network. Address spaces are names only: one set of pools serves both.
 */
final class IpamDriverCalls {
    static final String LOCAL_SPACE = "local";
    static final String GLOBAL_SPACE = "global";

    private final Agent agent;

    IpamDriverCalls(Agent agent) {
        this.agent = agent;
    }

    /** Addresses are not bound to MACs, and dockerd need not replay its requests after a restart: they are journaled. */
    static Map<String, Object> capabilities() {
        return Map.of("RequiresMACAddress", false, "RequiresRequestReplay", false);
    }

    static Map<String, Object> defaultAddressSpaces() {
        return Map.of("LocalDefaultAddressSpace", LOCAL_SPACE, "GlobalDefaultAddressSpace", GLOBAL_SPACE);
    }

    CompletionStage<Map<String, Object>> requestPool(PluginMessages.RequestPool r, NetworkDriverCalls.DockerCall call) {
        return agent.submit(new Request.RequestPool(blankToNull(r.pool()), blankToNull(r.subPool()), r.v6(), null,
                        call.audit()))
                .thenApply(lease -> Map.of("PoolID", lease.poolId(), "Pool", lease.pool(), "Data", Map.of()));
    }

    CompletionStage<Map<String, Object>> releasePool(PluginMessages.PoolRef r, NetworkDriverCalls.DockerCall call) {
        return agent.submit(new Request.ReleasePool(r.poolId(), call.audit())).thenApply(d -> Map.of());
    }

    CompletionStage<Map<String, Object>> requestAddress(PluginMessages.RequestAddress r, NetworkDriverCalls.DockerCall call) {
        return agent.submit(new Request.RequestAddress(r.poolId(), blankToNull(r.address()), r.gateway(), call.audit()))
                .thenApply(a -> Map.of("Address", a.address(), "Data", Map.of()));
    }

    CompletionStage<Map<String, Object>> releaseAddress(PluginMessages.ReleaseAddress r, NetworkDriverCalls.DockerCall call) {
        return agent.submit(new Request.ReleaseAddress(r.poolId(), r.address(), call.audit())).thenApply(d -> Map.of());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
