package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.VethPair;

import java.util.Optional;

/**
 * A veth pair for one endpoint: {@code hostName} on the bridge and up, its peer made as
 * {@code peerName} with the endpoint's MAC in the host. When the host end exists the pair is kept as
 * it is, wherever its peer has gone (a namespace may hold it by now).
 */
public record EnsureVeth(String hostName, String peerName, String peerMac, String bridge, int mtu)
        implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> existing = host.links().get(hostName);
        if (existing.isEmpty()) {
            host.links().addVeth(new VethPair(hostName, peerName, mtu, Optional.empty(), Optional.of(bridge),
                    Optional.of(MacAddress.parse(peerMac)), true));
            return;
        }
        int bridgeIndex = host.links().require(bridge, describe()).index();
        if (existing.get().masterIndex() != bridgeIndex) {
            host.links().setMaster(hostName, bridge);
        }
        if (!existing.get().isUp()) {
            host.links().setUp(hostName);
        }
    }

    @Override
    public String describe() {
        return "ensure veth " + hostName + " (peer " + peerName + ") on " + bridge;
    }
}
