package dev.netkeeper.bench.jmh;

import dev.netkeeper.network.AddressPool;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.Ipam;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * IPAM on a /16 with 60,000 addresses taken (10.200.0.2 .. 10.200.234.97, gateway 10.200.0.1):
 * <ul>
 * <li>allocateRelease: Ipam.next with the cursor just after the taken block (the next address is free), then the
 *     address is released again: the common case;</li>
 * <li>allocateAfterWrap: the cursor at the end of the range, so the search wraps and steps over the 60,000 taken
 *     addresses: the worst case host-local-style allocation meets;</li>
 * <li>linkAllocation: what NetworkEntity.allocate does per Link in a network holding 60,000 endpoints:
 *     NetworkState.addressesInUse (a new Set from every endpoint) and then Ipam.next.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(jvmArgsAppend = {"-Xms1g", "-Xmx1g"}) // each call allocates ~10 MB: a fixed heap keeps GC resizing out of the numbers
public class IpamBench {
    static final int TAKEN = 60_000;

    private final AddressPool pool = new AddressPool("10.200.0.0/16", "10.200.0.1", null, List.of());
    private Set<String> inUse;
    private String afterBlock;
    private NetworkState state;

    static String address(int hostIndex) {
        return "10.200." + (hostIndex >> 8) + "." + (hostIndex & 0xff);
    }

    @Setup
    public void setUp() {
        inUse = new HashSet<>();
        Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < TAKEN; i++) {
            String a = address(i + 2);
            inUse.add(a);
            String id = String.format("%07x", i);
            endpoints.put("ep" + i, new Endpoint("ep" + i, "veth" + id, "ceth" + id, "02:42:0a:c8:00:00", a + "/16", null,
                    null, null));
        }
        afterBlock = address(TAKEN + 1);
        NetworkConfig config = new NetworkConfig("bench", "bridge", pool, null, 1500, false, "eth", Map.of());
        state = new NetworkState(config, endpoints, afterBlock, null, List.of());
    }

    @Benchmark
    public String allocateRelease() {
        String a = Ipam.host(Ipam.next(pool, inUse, afterBlock).orElseThrow());
        inUse.add(a);
        inUse.remove(a);
        return a;
    }

    @Benchmark
    public String allocateAfterWrap() {
        return Ipam.next(pool, inUse, "10.200.255.254").orElseThrow();
    }

    @Benchmark
    public String linkAllocation() {
        return Ipam.next(pool, state.addressesInUse(false), state.lastIPv4()).orElseThrow();
    }
}
