package dev.netkeeper.netlink.nl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Splitting received datagrams into struct nlmsghdr-framed messages (netlink.h, NLMSG_ALIGN). */
class NetlinkMessageTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are written for a little-endian host");
    }

    /**
     * Two messages: an RTM_NEWLINK whose nlmsg_len (57) is not a multiple of 4, so the next
     * header starts after 3 bytes of NLMSG_ALIGN padding, then NLMSG_DONE.
     */
    static final String TWO_MESSAGES = ""
            // message 1: struct nlmsghdr
            + "39000000"      // nlmsg_len 57 = 16 + 16 + 12 + 8 + 5
            + "1000"          // RTM_NEWLINK
            + "0200"          // NLM_F_MULTI
            + "2a000000"      // seq 42
            + "d2040000"      // pid 1234
            // struct ifinfomsg
            + "00" + "00"     // family AF_UNSPEC, pad
            + "0100"          // ifi_type ARPHRD_ETHER
            + "02000000"      // ifi_index 2
            + "03100100"      // ifi_flags 0x11003 (UP | BROADCAST | MULTICAST | LOWER_UP)
            + "00000000"      // ifi_change
            + "0900" + "0300" + "6574683000" + "000000"   // IFLA_IFNAME "eth0" NUL, padded to 12
            + "0800" + "0400" + "dc050000"                // IFLA_MTU 1500
            + "0500" + "1000" + "06"                      // IFLA_OPERSTATE IF_OPER_UP, u8, last: unpadded
            + "000000"        // NLMSG_ALIGN padding between messages (outside nlmsg_len)
            // message 2: NLMSG_DONE
            + "14000000"      // nlmsg_len 20
            + "0300"          // NLMSG_DONE
            + "0200"          // NLM_F_MULTI
            + "2a000000"      // seq 42
            + "d2040000"      // pid 1234
            + "00000000";     // int: dump status 0

    @Test
    void twoMessagesInOneDatagram() {
        byte[] raw = Hex.bytes(TWO_MESSAGES);
        assertEquals(80, raw.length, "the vector itself");
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(TWO_MESSAGES));
        assertEquals(2, all.size());

        NetlinkMessage link = all.get(0);
        assertEquals(Rtnetlink.RTM_NEWLINK, link.type());
        assertEquals(Netlink.NLM_F_MULTI, link.flags());
        assertEquals(42, link.seq());
        assertEquals(1234, link.pid());
        assertEquals(57 - 16, link.payload().remaining(), "payload ends at nlmsg_len, not at the padding");
        assertEquals(new IfInfoMsg(0, 1, 2, 0x11003, 0), IfInfoMsg.readFrom(link.body()));

        Attributes a = link.attributes(IfInfoMsg.SIZE);
        assertEquals(Optional.of("eth0"), a.string(IfLink.IFLA_IFNAME));
        assertEquals(Optional.of(1500), a.u32(IfLink.IFLA_MTU));
        assertEquals(Optional.of(6), a.u8(IfLink.IFLA_OPERSTATE));
        assertEquals(Optional.empty(), a.get(IfLink.IFLA_ADDRESS));

        NetlinkMessage done = all.get(1);
        assertEquals(Netlink.NLMSG_DONE, done.type());
        assertEquals(Netlink.NLM_F_MULTI, done.flags());
        assertEquals(42, done.seq());
        assertEquals(1234, done.pid());
        assertEquals(4, done.payload().remaining());
        assertEquals(0, done.body().getInt());
    }

    @Test
    void readsInNativeOrderWhateverTheCallersBufferSays() {
        byte[] raw = Hex.bytes("deadbeef" + TWO_MESSAGES);
        ByteBuffer bigEndian = ByteBuffer.wrap(raw).position(4);   // ByteBuffer.wrap is BIG_ENDIAN
        List<NetlinkMessage> all = NetlinkMessage.parseAll(bigEndian);
        assertEquals(2, all.size());
        assertEquals(16, all.get(0).type());
        assertEquals(1234, all.get(0).pid());
        assertEquals(Optional.of(1500), all.get(0).attributes(IfInfoMsg.SIZE).u32(IfLink.IFLA_MTU));
        assertEquals(3, all.get(1).type());
        assertEquals(4, bigEndian.position(), "parseAll must not move the caller's buffer");
        assertEquals(ByteOrder.BIG_ENDIAN, bigEndian.order());
    }

    @Test
    void unsignedHeaderFields() {
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(
                "10000000" + "feff" + "0180" + "ffffffff" + "00000080"));
        assertEquals(1, all.size());
        assertEquals(0xfffe, all.get(0).type());
        assertEquals(0x8001, all.get(0).flags());
        assertEquals(-1, all.get(0).seq());
        assertEquals(0x80000000, all.get(0).pid());
        assertEquals(0, all.get(0).payload().remaining());
    }

    @Test
    void payloadIsReadOnlyAndBodyIsAFreshCursor() {
        NetlinkMessage link = NetlinkMessage.parseAll(Hex.buffer(TWO_MESSAGES)).get(0);
        assertTrue(link.payload().isReadOnly());
        ByteBuffer first = link.body();
        first.getInt();
        first.getInt();
        ByteBuffer second = link.body();
        assertEquals(0, second.position());
        assertEquals(41, second.remaining());
        assertEquals(ByteOrder.nativeOrder(), second.order());
        assertEquals(0x00010000, second.getInt(), "bytes 00 00 01 00 (family, pad, type 1) read little-endian");
    }

    @Test
    void emptyDatagramHasNoMessages() {
        assertEquals(List.of(), NetlinkMessage.parseAll(ByteBuffer.allocate(0)));
    }

    @ParameterizedTest(name = "nlmsg_len {0}")
    @ValueSource(strings = {
            "00000000",   // 0: would never advance
            "0f000000",   // 15: smaller than the header
            "01000000",
            "15000000",   // 21: one byte past the 20-byte datagram
            "00010000",   // 256
            "ffffffff",   // 2^32 - 1 (negative as a Java int)
            "00000080",   // 2^31
    })
    void malformedLengthIsRefused(String lenHex) {
        ByteBuffer datagram = Hex.buffer(lenHex + "0300" + "0000" + "01000000" + "00000000" + "00000000");
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IllegalArgumentException.class, () -> NetlinkMessage.parseAll(datagram)));
        assertTrue(e.getMessage().contains("nlmsg_len"), e.getMessage());
    }

    @Test
    void malformedSecondMessageIsRefused() {
        // the NLMSG_DONE claims 24 bytes but only 20 are left
        String bad = TWO_MESSAGES.replace("14000000" + "0300", "18000000" + "0300");
        assertThrows(IllegalArgumentException.class, () -> NetlinkMessage.parseAll(Hex.buffer(bad)));
    }

    @Test
    void attributesAfterTheStruct() {
        // RTM_NEWADDR: ifaddrmsg (8 bytes) then IFA_ADDRESS and IFA_LABEL
        String hex = "2c000000 1400 0000 01000000 00000000"
                + "02 18 80 00 03000000"                   // ifaddrmsg AF_INET /24 PERMANENT scope 0 index 3
                + "0800 0100 0a000001"                     // IFA_ADDRESS 10.0.0.1
                + "0900 0300 6574683000 000000";           // IFA_LABEL "eth0"
        NetlinkMessage m = NetlinkMessage.parseAll(Hex.buffer(hex)).get(0);
        Attributes a = m.attributes(IfAddrMsg.SIZE);
        assertEquals("0a000001", Hex.of(a.bytes(IfAddr.IFA_ADDRESS).orElseThrow()));
        assertEquals(Optional.of("eth0"), a.string(IfAddr.IFA_LABEL));
        assertEquals(Optional.empty(), a.get(IfAddr.IFA_LOCAL));
        // with no struct at all, the ifaddrmsg bytes would be read as an rtattr of length 0x1802: refused
        assertThrows(IllegalArgumentException.class, () -> m.attributes(0));
    }

    @Test
    void attributesOfAPayloadShorterThanTheStructAreEmpty() {
        NetlinkMessage done = NetlinkMessage.parseAll(Hex.buffer(TWO_MESSAGES)).get(1);
        assertSame(Attributes.EMPTY, done.attributes(IfInfoMsg.SIZE));
    }

    @Test
    void fiveHundredMessageDump() {
        int count = 500;
        ByteBuffer b = ByteBuffer.allocate(64 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            byte[] name = ("veth" + i + "\0").getBytes(StandardCharsets.US_ASCII);
            int rtaLen = 4 + name.length;                    // 10, 11 or 12
            int nlmsgLen = 16 + 16 + 8 + rtaLen;             // 50, 51 or 52: not always aligned
            int start = b.position();
            // struct nlmsghdr
            b.putInt(nlmsgLen).putShort((short) 16).putShort((short) 0x2).putInt(777).putInt(4242);
            // struct ifinfomsg
            b.put((byte) 0).put((byte) 0).putShort((short) 1).putInt(i + 1).putInt(i % 2).putInt(0);
            // IFLA_MTU
            b.putShort((short) 8).putShort((short) 4).putInt(1000 + i);
            // IFLA_IFNAME, last attribute, left unpadded inside nlmsg_len
            b.putShort((short) rtaLen).putShort((short) 3).put(name);
            assertEquals(start + nlmsgLen, b.position());
            while ((b.position() & 3) != 0) {
                b.put((byte) 0);                             // NLMSG_ALIGN before the next header
            }
        }
        b.flip();

        List<NetlinkMessage> all = NetlinkMessage.parseAll(b);
        assertEquals(count, all.size());
        for (int i = 0; i < count; i++) {
            NetlinkMessage m = all.get(i);
            assertEquals(16, m.type(), "message " + i);
            assertEquals(777, m.seq(), "message " + i);
            IfInfoMsg info = IfInfoMsg.readFrom(m.body());
            assertEquals(i + 1, info.index(), "message " + i);
            assertEquals(i % 2, info.flags(), "message " + i);
            Attributes a = m.attributes(IfInfoMsg.SIZE);
            assertEquals(Optional.of("veth" + i), a.string(IfLink.IFLA_IFNAME), "message " + i);
            assertEquals(Optional.of(1000 + i), a.u32(IfLink.IFLA_MTU), "message " + i);
        }
    }
}
