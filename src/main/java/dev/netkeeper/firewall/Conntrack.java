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

    int forget(Forward f) {
        InetAddress container;
        try {
            container = InetAddress.getByName(f.containerIp());
        } catch (UnknownHostException e) {
            return 0;
        }
        int proto = PROTOCOLS.get(f.protocol());
        int family = f.ipv6() ? Rtnetlink.AF_INET6 : Rtnetlink.AF_INET;
        return ops().delete(family, flow -> flow.original().protocol() == proto
                && flow.original().destinationPort() == f.hostPort()
                && flow.reply().source().equals(container) && flow.reply().sourcePort() == f.containerPort());
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
