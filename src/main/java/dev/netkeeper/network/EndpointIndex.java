package dev.netkeeper.network;

import dev.netkeeper.network.NetworkEvent.EndpointAllocated;
import dev.netkeeper.network.NetworkEvent.EndpointReleased;
import dev.netkeeper.network.NetworkEvent.NetworkCreated;
import dev.netkeeper.network.NetworkEvent.NetworkDeleted;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a network's endpoints hold — their host addresses per family and their host-side veth names —
 * kept up to date event by event, so that allocating for a Link costs the same at any network size
 * (instead of a set built from every endpoint per Link). Owned by one entity: rebuilt from its state once
 * recovery completes, then fed every event its handler applies.
 */
public final class EndpointIndex {
    private final Set<String> v4 = new HashSet<>();
    private final Set<String> v6 = new HashSet<>();
    private final Set<String> hostVeths = new HashSet<>();
    private final Set<String> macs = new HashSet<>();
    /** Each endpoint's entries, to remove them when it is released. */
    private final Map<String, Endpoint> byName = new HashMap<>();

    public void rebuild(NetworkState state) {
        clear();
        state.endpoints().values().forEach(this::add);
    }

    public void apply(NetworkEvent event) {
        if (event instanceof EndpointAllocated a) {
            add(a.endpoint());
        } else if (event instanceof EndpointReleased r) {
            Endpoint e = byName.remove(r.endpoint());
            if (e != null) {
                remove(v4, e.address());
                remove(v6, e.addressIPv6());
                hostVeths.remove(e.hostVeth());
                if (e.macAddress() != null) {
                    macs.remove(e.macAddress());
                }
            }
        } else if (event instanceof NetworkCreated || event instanceof NetworkDeleted) {
            clear();
        }
    }

    /** Host addresses (no prefix) in use, a read-only view for {@link Ipam#next}. */
    public Set<String> addressesInUse(boolean ipv6) {
        return Collections.unmodifiableSet(ipv6 ? v6 : v4);
    }

    /** Whether an endpoint of the network has this MAC (spelled as {@link dev.netkeeper.netlink.MacAddress} does). */
    public boolean hasMac(String mac) {
        return macs.contains(mac);
    }

    public boolean hasHostVeth(String name) {
        return hostVeths.contains(name);
    }

    private void add(Endpoint e) {
        byName.put(e.name(), e);
        if (e.address() != null) {
            v4.add(Ipam.host(e.address()));
        }
        if (e.addressIPv6() != null) {
            v6.add(Ipam.host(e.addressIPv6()));
        }
        if (e.macAddress() != null) {
            macs.add(e.macAddress());
        }
        if (e.hostVeth() != null) {
            hostVeths.add(e.hostVeth());
        }
    }

    private static void remove(Set<String> set, String address) {
        if (address != null) {
            set.remove(Ipam.host(address));
        }
    }

    private void clear() {
        v4.clear();
        v6.clear();
        hostVeths.clear();
        macs.clear();
        byName.clear();
    }
}
