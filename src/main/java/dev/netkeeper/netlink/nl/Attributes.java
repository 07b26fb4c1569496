package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Parsed rtattrs of one level, by type (NLA_F_NESTED / NLA_F_NET_BYTEORDER bits masked off; the last of duplicates wins). */
public final class Attributes {
    public static final Attributes EMPTY = new Attributes(Map.of());

    private final Map<Integer, ByteBuffer> byType;

    private Attributes(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    public static Attributes parse(ByteBuffer region) {
        ByteBuffer b = region.duplicate().order(ByteOrder.nativeOrder());
        Map<Integer, ByteBuffer> map = new HashMap<>();
        while (b.remaining() >= 4) {
            int start = b.position();
            int len = Short.toUnsignedInt(b.getShort(start));
            int type = Short.toUnsignedInt(b.getShort(start + 2)) & Netlink.NLA_TYPE_MASK;
            if (len < 4 || len > b.remaining()) {
                throw new IllegalArgumentException("malformed rtattr: rta_len " + len + " with "
                        + b.remaining() + " bytes left");
            }
            ByteBuffer value = b.duplicate().position(start + 4).limit(start + len).slice()
                    .order(ByteOrder.nativeOrder());
            map.put(type, value); // like the kernel's nla_parse, the last occurrence wins
            b.position(Math.min(b.limit(), start + Netlink.align(len)));
        }
        return new Attributes(Collections.unmodifiableMap(map));
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public Optional<ByteBuffer> get(int type) {
        ByteBuffer v = byType.get(type);
        return v == null ? Optional.empty() : Optional.of(v.duplicate().order(ByteOrder.nativeOrder()));
    }

    public Optional<byte[]> bytes(int type) {
        return get(type).map(v -> {
            byte[] out = new byte[v.remaining()];
            v.get(out);
            return out;
        });
    }

    public Optional<Integer> u32(int type) {
        return get(type).filter(v -> v.remaining() >= 4).map(v -> v.getInt(0));
    }

    public Optional<Integer> u8(int type) {
        return get(type).filter(v -> v.remaining() >= 1).map(v -> Byte.toUnsignedInt(v.get(0)));
    }

    /** A u16 in network byte order (IFLA_VXLAN_PORT), whatever the host's. */
    public Optional<Integer> be16(int type) {
        return get(type).filter(v -> v.remaining() >= 2)
                .map(v -> Short.toUnsignedInt(v.order(ByteOrder.BIG_ENDIAN).getShort(0)));
    }

    /** A NUL-terminated string attribute, without its terminator. */
    public Optional<String> string(int type) {
        return bytes(type).map(raw -> {
            int end = 0;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            return new String(raw, 0, end, StandardCharsets.UTF_8);
        });
    }

    public Attributes nested(int type) {
        return get(type).map(Attributes::parse).orElse(EMPTY);
    }
}
