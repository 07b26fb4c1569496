package dev.netkeeper.netlink;

import java.util.Locale;

/** A 48-bit Ethernet address, held as the low 48 bits of a long. */
public record MacAddress(long value) {
    public MacAddress {
        if ((value & ~0xffff_ffff_ffffL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: " + Long.toHexString(value));
        }
    }

    /** Parses "02:42:ac:11:00:02" (case-insensitive). */
    public static MacAddress parse(String text) {
        String[] parts = text.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            try {
                v = (v << 8) | Integer.parseInt(p, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'", e);
            }
        }
        return new MacAddress(v);
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
