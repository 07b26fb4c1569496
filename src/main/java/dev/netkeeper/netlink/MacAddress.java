package dev.netkeeper.netlink;

import java.util.Locale;

/** A 48-bit Ethernet address, held as the low 48 bits of a long. */
public record MacAddress(long value) {
    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    private static final java.util.regex.Pattern TEXT =
            java.util.regex.Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");

    /** Parses "02:42:ac:11:00:02" (case-insensitive, exactly six two-digit hex octets). */
    public static MacAddress parse(String text) {
        if (text == null || !TEXT.matcher(text).matches()) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        long v = 0;
        for (byte b : bytes) {
            v = (v << 8) | (b & 0xff);
        }
        return new MacAddress(v);
    }

    public byte[] bytes() {
        byte[] out = new byte[6];
        for (int i = 0; i < 6; i++) {
            out[i] = (byte) (value >>> (40 - 8 * i));
        }
        return out;
    }

    /** Locally administered (bit 1 of the first octet), as every address we make up must be. */
    public boolean isLocallyAdministered() {
        return ((value >>> 40) & 0x02) != 0;
    }

    public boolean isMulticast() {
        return ((value >>> 40) & 0x01) != 0;
    }

    @Override
    public String toString() {
        byte[] b = bytes();
        return String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    }
}
