package dev.netkeeper.netlink.nl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** struct rtattr parsing: u16 rta_len, u16 rta_type (NLA_F_NESTED 0x8000, NLA_F_NET_BYTEORDER 0x4000), payload. */
class AttributesTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are written for a little-endian host");
    }

    static final String REGION = ""
            + "0500" + "1000" + "06" + "000000"                  // type 16 (IFLA_OPERSTATE), u8 6, padded
            + "0800" + "0400" + "dc050000"                       // type 4 (IFLA_MTU), u32 1500
            + "0700" + "0300" + "6c6f00" + "00"                  // type 3 (IFLA_IFNAME), "lo" NUL, padded
            + "0a00" + "0100" + "0242ac110002" + "0000"          // type 1 (IFLA_ADDRESS), 6 bytes, padded
            + "1000" + "1280"                                    // type 0x8012: IFLA_LINKINFO | NLA_F_NESTED, len 16
            + "0900" + "0100" + "7665746800" + "000000"          //   type 1 (IFLA_INFO_KIND), "veth" NUL, padded
            + "0800" + "0540" + "01020304"                       // type 0x4005: 5 | NLA_F_NET_BYTEORDER
            + "0800" + "ffff" + "ffffffff";                      // type 0xffff: both flag bits + 0x3fff

    private static Attributes region() {
        return Attributes.parse(Hex.buffer(REGION));
    }

    @Test
    void u8() {
        assertEquals(Optional.of(6), region().u8(IfLink.IFLA_OPERSTATE));
    }

    @Test
    void u8IsUnsigned() {
        assertEquals(Optional.of(255), Attributes.parse(Hex.buffer("0500 0700 ff 000000")).u8(7));
    }

    @Test
    void u32() {
        assertEquals(Optional.of(1500), region().u32(IfLink.IFLA_MTU));
        assertEquals(Optional.of(0x80000001), Attributes.parse(Hex.buffer("0800 0700 01000080")).u32(7));
    }

    @Test
    void stringWithoutItsNul() {
        assertEquals(Optional.of("lo"), region().string(IfLink.IFLA_IFNAME));
    }

    @Test
    void stringStopsAtTheFirstNul() {
        assertEquals(Optional.of("lo"), Attributes.parse(Hex.buffer("0800 0300 6c6f0041")).string(3));
    }

    @Test
    void stringWithoutAnyNul() {
        assertEquals(Optional.of("lo"), Attributes.parse(Hex.buffer("0600 0300 6c6f 0000")).string(3));
    }

    @Test
    void stringIsUtf8() {
        assertEquals(Optional.of("bré"), Attributes.parse(Hex.buffer("0900 0300 6272c3a900 000000")).string(3));
    }

    @Test
    void bytesExactlyRtaLenMinusFour() {
        assertArrayEquals(Hex.bytes("0242ac110002"), region().bytes(IfLink.IFLA_ADDRESS).orElseThrow());
    }

    @Test
    void nestedWithNlaFNestedMaskedOff() {
        Attributes a = region();
        assertTrue(a.has(IfLink.IFLA_LINKINFO));
        assertFalse(a.has(0x8000 | IfLink.IFLA_LINKINFO), "the flag is not part of the type");
        assertEquals(Optional.of("veth"), a.nested(IfLink.IFLA_LINKINFO).string(IfLink.IFLA_INFO_KIND));
        assertArrayEquals(Hex.bytes("0900 0100 7665746800 000000"), a.bytes(IfLink.IFLA_LINKINFO).orElseThrow());
    }

    @Test
    void netByteOrderBitMaskedOff() {
        Attributes a = region();
        assertTrue(a.has(5));
        assertFalse(a.has(0x4005));
        assertArrayEquals(Hex.bytes("01020304"), a.bytes(5).orElseThrow());
        assertTrue(a.has(0x3fff), "0xffff is type 0x3fff with both flag bits");
        assertFalse(a.has(0xffff));
    }

    @Test
    void nestedTwoLevels() {
        // IFLA_LINKINFO { IFLA_INFO_KIND "veth", IFLA_INFO_DATA { VETH_INFO_PEER: 4 bytes } }
        Attributes a = Attributes.parse(Hex.buffer(""
                + "1c00 1200"
                + "0900 0100 7665746800 000000"
                + "0c00 0280"
                + "0800 0100 2a000000"));
        Attributes data = a.nested(IfLink.IFLA_LINKINFO).nested(IfLink.IFLA_INFO_DATA);
        assertEquals(Optional.of(42), data.u32(IfLink.VETH_INFO_PEER));
    }

    @Test
    void lastAttributeMayBeUnpadded() {
        Attributes a = Attributes.parse(Hex.buffer("0800 0400 dc050000" + "0500 1000 06"));
        assertEquals(Optional.of(1500), a.u32(4));
        assertEquals(Optional.of(6), a.u8(16));
    }

    @Test
    void parsesFromThePositionInNativeOrderAndLeavesTheCallerAlone() {
        ByteBuffer bigEndian = ByteBuffer.wrap(Hex.bytes("ffffffff" + "0800 0400 dc050000")).position(4);
        Attributes a = Attributes.parse(bigEndian);
        assertEquals(Optional.of(1500), a.u32(4));
        assertEquals(4, bigEndian.position());
        assertEquals(ByteOrder.BIG_ENDIAN, bigEndian.order());
    }

    @Test
    void valuesAreIndependentCopiesAndCursors() {
        Attributes a = region();
        byte[] mac = a.bytes(IfLink.IFLA_ADDRESS).orElseThrow();
        mac[0] = 0x7f;
        assertArrayEquals(Hex.bytes("0242ac110002"), a.bytes(IfLink.IFLA_ADDRESS).orElseThrow());
        ByteBuffer v = a.get(IfLink.IFLA_MTU).orElseThrow();
        v.getInt();
        assertEquals(0, v.remaining());
        assertEquals(4, a.get(IfLink.IFLA_MTU).orElseThrow().remaining());
        assertEquals(Optional.of(1500), a.u32(IfLink.IFLA_MTU));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "0800 0100 0102",                       // rta_len 8, 6 bytes present
            "0900 0100 0102 0304",                  // rta_len 9, 8 bytes present
            "0300 0100",                            // rta_len 3 < sizeof(struct rtattr)
            "0000 0100 00000000",                   // rta_len 0: would never advance
            "0100 0100 00000000",
            "0800 0400 dc050000" + "1000 0300 6c6f00 00",  // second attribute runs past the end
            "ffff 0100 00000000",
    })
    void truncatedOrShortRtattrIsRefused(String hex) {
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IllegalArgumentException.class, () -> Attributes.parse(Hex.buffer(hex))));
        assertTrue(e.getMessage().contains("rta_len"), e.getMessage());
    }

    @Test
    void fewerThanFourTrailingBytesAreIgnored() {
        Attributes a = Attributes.parse(Hex.buffer("0800 0400 dc050000" + "0500 10"));
        assertEquals(Optional.of(1500), a.u32(4));
        assertFalse(a.has(16));
    }

    @Test
    void missingAttributes() {
        Attributes a = region();
        assertFalse(a.has(99));
        assertEquals(Optional.empty(), a.get(99));
        assertEquals(Optional.empty(), a.u8(99));
        assertEquals(Optional.empty(), a.u32(99));
        assertEquals(Optional.empty(), a.string(99));
        assertEquals(Optional.empty(), a.bytes(99));
        assertSame(Attributes.EMPTY, a.nested(99));
    }

    @Test
    void emptyRegionAndEmptyConstant() {
        Attributes a = Attributes.parse(ByteBuffer.allocate(0));
        assertFalse(a.has(0));
        assertEquals(Optional.empty(), a.get(1));
        assertFalse(Attributes.EMPTY.has(1));
        assertEquals(Optional.empty(), Attributes.EMPTY.u32(1));
        assertEquals(Optional.empty(), Attributes.EMPTY.string(3));
        assertSame(Attributes.EMPTY, Attributes.EMPTY.nested(18));
    }

    @Test
    void valuesTooShortForTheirTypeAreAbsent() {
        Attributes a = Attributes.parse(Hex.buffer("0600 0400 dc05 0000" + "0400 1000"));
        assertTrue(a.has(4));
        assertEquals(Optional.empty(), a.u32(4), "2-byte payload is not a u32");
        assertTrue(a.has(16));
        assertEquals(Optional.empty(), a.u8(16), "empty payload is not a u8");
        assertEquals(Optional.of(""), a.string(16));
    }

    @Test
    void emptyNestParsesToNoAttributes() {
        Attributes inner = Attributes.parse(Hex.buffer("0400 1200")).nested(IfLink.IFLA_LINKINFO);
        assertFalse(inner.has(IfLink.IFLA_INFO_KIND));
        assertEquals(Optional.empty(), inner.string(IfLink.IFLA_INFO_KIND));
    }
}
