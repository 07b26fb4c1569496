package dev.netkeeper.firewall;

import dev.netkeeper.netlink.ConntrackOps;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Forgets the tracked connections of a forward that went away. Without this a UDP flow keeps its old DNAT as
 * long as packets keep coming (moby#8795, containernetworking/plugins#123): a port published again would stay
 * blackholed. A flow belongs to the forward when it was translated to the container's address and port.
 */
final class Conntrack implements AutoCloseable {
    /** IPPROTO_* of linux/in.h. */
    private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "sctp", 132);

    private final Optional<NetNamespace> host;
    private ConntrackOps ops;

    Conntrack(Optional<NetNamespace> host) {
        this.host = host;
    }

    /**
     * Deletes the flows of all of {@code gone} with one walk of the table per family (a walk costs the table's size,
     * not the forwards': 1,000 forwards unpublished at once are one dump, not 1,000).
     */
    int forget(java.util.Collection<Forward> gone) {
        int deleted = 0;
        for (boolean v6 : new boolean[] {false, true}) {
            java.util.Set<String> keys = new java.util.HashSet<>();
            for (Forward f : gone) {
                if (f.ipv6() == v6) {
                    try {
                        keys.add(key(PROTOCOLS.get(f.protocol()), f.hostPort(), InetAddress.getByName(f.containerIp()),
                                f.containerPort()));
                    } catch (UnknownHostException e) {
                        // not an address: nothing of it can be tracked
                    }
                }
            }
            if (!keys.isEmpty()) {
                deleted += ops().delete(v6 ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET, flow -> keys.contains(key(
                        flow.original().protocol(), flow.original().destinationPort(), flow.reply().source(),
                        flow.reply().sourcePort())));
            }
        }
        return deleted;
    }

    /** A flow belongs to a forward when it came to the host port and was answered by the container's address and port. */
    private static String key(int protocol, int hostPort, InetAddress container, int containerPort) {
        return protocol + "/" + hostPort + "/" + container.getHostAddress() + "/" + containerPort;
    }

    /** The socket, opened in the host's namespace on first use (a netlink socket stays in the one it was made in). */
    private ConntrackOps ops() {
        if (ops == null) {
            ops = host.isPresent() ? host.get().call(ConntrackOps::open) : ConntrackOps.open();
        }
        return ops;
    }

    @Override
    public void close() {
        if (ops != null) {
            ops.close();
        }
    }
}
