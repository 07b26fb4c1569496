package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: the nlmsghdr fields and a read-only view of its payload
 * (the bytes after the 16-byte header, up to nlmsg_len).
 */
public record NetlinkMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /** Splits a datagram into its messages (a dump packs many into one recv). */
    public static List<NetlinkMessage> parseAll(ByteBuffer datagram) {
        ByteBuffer b = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        while (b.remaining() >= Netlink.NLMSG_HDRLEN) {
            int start = b.position();
            int len = b.getInt(start);
            if (len < Netlink.NLMSG_HDRLEN || len > b.remaining()) {
                throw new IllegalArgumentException("malformed netlink message: nlmsg_len " + len
                        + " with " + b.remaining() + " bytes left");
            }
            int type = Short.toUnsignedInt(b.getShort(start + 4));
            int flags = Short.toUnsignedInt(b.getShort(start + 6));
            int seq = b.getInt(start + 8);
            int pid = b.getInt(start + 12);
            ByteBuffer payload = b.duplicate().position(start + Netlink.NLMSG_HDRLEN).limit(start + len)
                    .slice().order(ByteOrder.nativeOrder()).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
            messages.add(new NetlinkMessage(type, flags, seq, pid, payload));
            b.position(Math.min(b.limit(), start + Netlink.align(len)));
        }
        return messages;
    }

    /** A fresh cursor over the payload. */
    public ByteBuffer body() {
        return payload.duplicate().order(ByteOrder.nativeOrder());
    }

    /** The attributes that follow a fixed struct of {@code structSize} bytes. */
    public Attributes attributes(int structSize) {
        ByteBuffer b = body();
        if (b.remaining() < structSize) {
            return Attributes.EMPTY;
        }
        b.position(Netlink.align(structSize));
        return Attributes.parse(b.slice().order(ByteOrder.nativeOrder()));
    }
}
