package dev.netkeeper.firewall;

import dev.netkeeper.netlink.NetNamespace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;

/**
 * Whether a process of the host holds a port: a bind attempt in the host's namespace, released at once. A DNAT
 * in front of a listening port would steal its traffic silently, so such a port is never published. SCTP is not
 * checked (the JDK has no portable SCTP channel).
 */
final class HostPorts {
    private final Optional<NetNamespace> host;

    HostPorts(Optional<NetNamespace> host) {
        this.host = host;
    }

    boolean bound(String protocol, String hostIp, int port) {
        if (protocol.equals("sctp")) {
            return false;
        }
        return host.isPresent() ? host.get().call(() -> tryBind(protocol, hostIp, port)) : tryBind(protocol, hostIp, port);
    }

    private static boolean tryBind(String protocol, String hostIp, int port) {
        try {
            InetAddress at = hostIp == null ? InetAddress.getByName("::") : InetAddress.getByName(hostIp);
            StandardProtocolFamily family = at.getAddress().length == 4 ? StandardProtocolFamily.INET
                    : StandardProtocolFamily.INET6;
            try (NetworkChannel ch = protocol.equals("udp") ? DatagramChannel.open(family) : ServerSocketChannel.open(family)) {
                ch.bind(new InetSocketAddress(at, port));
                return false;
            }
        } catch (java.net.BindException e) {
            return !e.getMessage().contains("Cannot assign requested address"); // an address the host lacks: not bound
        } catch (IOException e) {
            return false;
        }
    }
}
