package dev.netkeeper.bench.jmh;

import dev.netkeeper.api.Audit;
import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.EndpointIndex;
import dev.netkeeper.network.Ipam;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The in-memory part of one Link (the journal write excluded) on a network that already holds 100 or
 * 10,000 endpoints: what NetworkEntity.allocate does — the addresses in use, then Ipam.next — the way it did
 * before (a set built from every endpoint, {@code allocateFromState}) and the way it does now (the entity's
 * EndpointIndex, {@code allocateFromIndex}); and applying the EndpointAllocated event to the state
 * ({@code applyEvent}, which still copies the endpoint map).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LinkCostBench {
    @Param({"100", "10000"})
    public int endpoints;

    private final AddressPool pool = new AddressPool("10.201.0.0/16", "10.201.0.1", null, List.of());
    private NetworkState state;
    private EndpointIndex index;
    private NetworkEvent.EndpointAllocated next;

    static String address(int hostIndex) {
        return "10.201." + (hostIndex >> 8) + "." + (hostIndex & 0xff);
    }

    static Endpoint endpoint(int i) {
        String id = String.format("%012x", i);
        return new Endpoint("ep" + i, "nkv" + id, "nkc" + id, "02:42:0a:c9:00:00", address(i + 2) + "/16", null, null, null);
    }

    @Setup
    public void setUp() {
        Map<String, Endpoint> map = new LinkedHashMap<>();
        for (int i = 0; i < endpoints; i++) {
            map.put("ep" + i, endpoint(i));
        }
        NetworkConfig config = new NetworkConfig("bench", "bridge", pool, null, 1500, false, "eth", Map.of());
        state = new NetworkState(config, map, address(endpoints + 1), null, List.of());
        index = new EndpointIndex();
        index.rebuild(state);
        next = new NetworkEvent.EndpointAllocated(endpoint(endpoints), new Audit("bench", 0L, "bench"));
    }

    @Benchmark
    public String allocateFromState() {
        return Ipam.next(pool, state.addressesInUse(false), state.lastIPv4()).orElseThrow();
    }

    @Benchmark
    public String allocateFromIndex() {
        return Ipam.next(pool, index.addressesInUse(false), state.lastIPv4()).orElseThrow();
    }

    @Benchmark
    public NetworkState applyEvent() {
        return state.apply(next);
    }
}
