package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Writes one netlink request: struct nlmsghdr, a fixed struct, then rtattrs (u16 rta_len, u16 rta_type,
 * payload padded to 4 bytes), nested attributes included. Host byte order, as the kernel expects.
 */
public final class MessageBuilder {
    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> openNests = new ArrayDeque<>();

    public MessageBuilder(int type, int flags) {
        buffer.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    /** ORs flags into nlmsg_flags (NLM_F_REQUEST, NLM_F_ACK, ...). */
    public MessageBuilder flags(int more) {
        buffer.putShort(6, (short) (Short.toUnsignedInt(buffer.getShort(6)) | more));
        return this;
    }

    /** Appends a fixed struct (also used for the struct inside VETH_INFO_PEER). */
    public MessageBuilder struct(NetlinkStruct struct) {
        ensure(struct.size());
        struct.writeTo(buffer);
        return this;
    }

    public MessageBuilder attr(int type, byte[] value) {
        int len = 4 + value.length;
        ensure(Netlink.align(len));
        buffer.putShort((short) len).putShort((short) type).put(value);
        pad();
        return this;
    }

    public MessageBuilder attrU32(int type, int value) {
        ensure(8);
        buffer.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    /** A u8 (IFLA_VXLAN_LEARNING...): one byte, padded to four. */
    public MessageBuilder attrU8(int type, int value) {
        return attr(type, new byte[] {(byte) value});
    }

    /** A be16: a u16 in network byte order whatever the host's (IFLA_VXLAN_PORT), padded to four. */
    public MessageBuilder attrBe16(int type, int value) {
        return attr(type, new byte[] {(byte) (value >>> 8), (byte) value});
    }

    /** A NUL-terminated string, as IFLA_IFNAME and IFLA_INFO_KIND are. */
    public MessageBuilder attrString(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return attr(type, Arrays.copyOf(bytes, bytes.length + 1));
    }

    /** Opens a nested attribute; its length is written by {@link #endNested()}. */
    public MessageBuilder beginNested(int type) {
        ensure(4);
        openNests.push(buffer.position());
        buffer.putShort((short) 0).putShort((short) type);
        return this;
    }

    public MessageBuilder endNested() {
        int start = openNests.pop();
        buffer.putShort(start, (short) (buffer.position() - start));
        return this;
    }

    /** Finishes the message with its total length and sequence number; pid 0 addresses the kernel. */
    public byte[] build(int seq) {
        if (!openNests.isEmpty()) {
            throw new IllegalStateException("unclosed nested attribute");
        }
        buffer.putInt(0, buffer.position());
        buffer.putInt(8, seq);
        return Arrays.copyOf(buffer.array(), buffer.position());
    }

    private void pad() {
        while ((buffer.position() & 3) != 0) {
            buffer.put((byte) 0);
        }
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }
}
