package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Ctnetlink;
import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The connection tracking table through ctnetlink (NETLINK_NETFILTER), the way {@code conntrack -D} reaches it:
 * a dump, then a delete of each flow that matches, named by its original tuple.
 */
public final class ConntrackOps implements AutoCloseable {
    private final NetlinkSocket socket;

    private ConntrackOps(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a socket in the calling thread's namespace. */
    public static ConntrackOps open() {
        return new ConntrackOps(NetlinkSocket.open(Ctnetlink.NETLINK_NETFILTER));
    }

    /** One side of a flow: addresses, protocol number and ports (0 for a protocol without ports). */
    public record Tuple(InetAddress source, InetAddress destination, int protocol, int sourcePort, int destinationPort) {}

    /** A flow as the kernel reports it: the tuple of its first packet and the one its answers carry. */
    public record Flow(Tuple original, Tuple reply) {}

    /**
     * Deletes every flow of {@code family} (AF_INET, AF_INET6) that {@code matches}; a flow that ended meanwhile
     * is not an error. Returns how many were deleted.
     */
    public int delete(int family, java.util.function.Predicate<Flow> matches) {
        String what = "dumping conntrack flows";
        int deleted = 0;
        for (NetlinkMessage m : socket.dump(new MessageBuilder(Ctnetlink.type(Ctnetlink.IPCTNL_MSG_CT_GET), 0)
                .struct(new Ctnetlink.NfGenMsg(family)), what)) {
            Attributes a = m.attributes(Ctnetlink.NfGenMsg.SIZE);
            Optional<Flow> flow = flow(a);
            if (flow.isEmpty() || !matches.test(flow.get())) {
                continue;
            }
            MessageBuilder del = new MessageBuilder(Ctnetlink.type(Ctnetlink.IPCTNL_MSG_CT_DELETE), 0)
                    .struct(new Ctnetlink.NfGenMsg(family))
                    .attr(Ctnetlink.CTA_TUPLE_ORIG | Netlink.NLA_F_NESTED, a.bytes(Ctnetlink.CTA_TUPLE_ORIG).orElseThrow());
            a.bytes(Ctnetlink.CTA_ZONE).ifPresent(zone -> del.attr(Ctnetlink.CTA_ZONE, zone));
            try {
                socket.request(del, "deleting conntrack flow " + flow.get().original());
                deleted++;
            } catch (KernelException e) {
                if (!e.errno().equals(Errno.ENOENT)) {
                    throw e;
                }
            }
        }
        return deleted;
    }

    static Optional<Flow> flow(Attributes a) {
        Optional<Tuple> orig = tuple(a.nested(Ctnetlink.CTA_TUPLE_ORIG));
        Optional<Tuple> reply = tuple(a.nested(Ctnetlink.CTA_TUPLE_REPLY));
        return orig.isPresent() && reply.isPresent() ? Optional.of(new Flow(orig.get(), reply.get())) : Optional.empty();
    }

    private static Optional<Tuple> tuple(Attributes t) {
        Attributes ip = t.nested(Ctnetlink.CTA_TUPLE_IP);
        Attributes proto = t.nested(Ctnetlink.CTA_TUPLE_PROTO);
        Optional<byte[]> src = ip.bytes(Ctnetlink.CTA_IP_V4_SRC).or(() -> ip.bytes(Ctnetlink.CTA_IP_V6_SRC));
        Optional<byte[]> dst = ip.bytes(Ctnetlink.CTA_IP_V4_DST).or(() -> ip.bytes(Ctnetlink.CTA_IP_V6_DST));
        Optional<Integer> num = proto.u8(Ctnetlink.CTA_PROTO_NUM);
        if (src.isEmpty() || dst.isEmpty() || num.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Tuple(InetAddress.getByAddress(src.get()), InetAddress.getByAddress(dst.get()),
                    num.get(), port(proto, Ctnetlink.CTA_PROTO_SRC_PORT), port(proto, Ctnetlink.CTA_PROTO_DST_PORT)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Ports are __be16. */
    private static int port(Attributes proto, int type) {
        return proto.get(type).filter(b -> b.remaining() >= 2)
                .map(b -> Short.toUnsignedInt(b.order(java.nio.ByteOrder.BIG_ENDIAN).getShort(0))).orElse(0);
    }

    @Override
    public void close() {
        socket.close();
    }
}
