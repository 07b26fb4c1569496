package dev.netkeeper.netlink.nl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Test vectors written as hex: whitespace is ignored, so a vector can be laid out one field per
 * line with a comment. Comparisons are done on lower-case hex strings so a failure shows the diff.
 */
public final class Hex {
    private Hex() {}

    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public static ByteBuffer buffer(String hex) {
        return ByteBuffer.wrap(bytes(hex)).order(ByteOrder.nativeOrder());
    }

    public static void assertBytes(String expectedHex, byte[] actual) {
        assertEquals(hex(expectedHex), of(actual));
    }

    private static String hex(String spaced) {
        return spaced.replaceAll("\\s+", "").toLowerCase(java.util.Locale.ROOT);
    }
}
