package dev.netkeeper.netlink.nl;

import dev.netkeeper.netlink.LinkRequests;
import dev.netkeeper.netlink.VethPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

import static dev.netkeeper.netlink.nl.Hex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Byte-exact requests. Every expected vector is written by hand from struct nlmsghdr (netlink.h),
 * struct ifinfomsg (rtnetlink.h) and struct rtattr (u16 rta_len, u16 rta_type, payload padded to
 * RTA_ALIGNTO = 4), little-endian.
 */
class MessageBuilderTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are written for a little-endian host");
    }

    /** What NetlinkSocket.request does to a mutation before sending it: ACK, then REQUEST, then build(seq). */
    private static byte[] asSent(MessageBuilder m, int seq) {
        return m.flags(Netlink.NLM_F_ACK).flags(Netlink.NLM_F_REQUEST).build(seq);
    }

    @Test
    void newLinkBridge() {
        // what LinkOps.addBridge("br0", 1400, Optional.empty()) sends
        MessageBuilder m = LinkRequests.newBridge("br0", 1400, Optional.empty());

        assertBytes(""
                // struct nlmsghdr
                + "40000000"          // nlmsg_len   = 64
                + "1000"              // nlmsg_type  = RTM_NEWLINK (16)
                + "0506"              // nlmsg_flags = 0x0605: REQUEST 0x1 | ACK 0x4 | EXCL 0x200 | CREATE 0x400
                + "07000000"          // nlmsg_seq   = 7
                + "00000000"          // nlmsg_pid   = 0 (kernel)
                // struct ifinfomsg
                + "00"                // ifi_family  = AF_UNSPEC
                + "00"                // __ifi_pad
                + "0000"              // ifi_type    = 0
                + "00000000"          // ifi_index   = 0 (name the link by IFLA_IFNAME)
                + "00000000"          // ifi_flags   = 0
                + "00000000"          // ifi_change  = 0
                // IFLA_IFNAME "br0\0"
                + "0800" + "0300"     // rta_len 8, rta_type IFLA_IFNAME (3)
                + "62723000"          // 'b' 'r' '0' NUL (no padding needed)
                // IFLA_MTU 1400
                + "0800" + "0400"     // rta_len 8, rta_type IFLA_MTU (4)
                + "78050000"          // 1400 = 0x578
                // IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
                + "1000" + "1200"     // rta_len 16 (4 + 12), rta_type IFLA_LINKINFO (18)
                + "0b00" + "0100"     //   rta_len 11 (4 + 7), rta_type IFLA_INFO_KIND (1)
                + "62726964676500"    //   "bridge" NUL
                + "00",               //   padding to 12
                asSent(m, 7));
    }

    /** What LinkOps.addVeth(name, peer, mtu, Optional.empty()) sends: no master, no MACs, the peer here, down. */
    private static MessageBuilder addVeth(String name, String peerName, int mtu) {
        return LinkRequests.newVeth(new VethPair(name, peerName, mtu, Optional.empty(), Optional.empty(), Optional.empty(),
                false), 0, -1);
    }

    @Test
    void newLinkVethWithPeer() {
        assertBytes(""
                // struct nlmsghdr
                + "60000000"          // nlmsg_len   = 96
                + "1000"              // RTM_NEWLINK
                + "0506"              // REQUEST | ACK | EXCL | CREATE
                + "08000000"          // seq 8
                + "00000000"          // pid 0
                // struct ifinfomsg (all zero)
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000"
                // IFLA_IFNAME "veth0\0"
                + "0a00" + "0300"     // rta_len 10 (4 + 6), IFLA_IFNAME
                + "766574683000"      // "veth0" NUL
                + "0000"              // padding to 12
                // IFLA_LINKINFO
                + "3400" + "1200"     // rta_len 52 = 4 + 12 (kind) + 36 (data), IFLA_LINKINFO
                + "0900" + "0100"     //   rta_len 9 (4 + 5), IFLA_INFO_KIND
                + "7665746800"        //   "veth" NUL
                + "000000"            //   padding to 12
                + "2400" + "0200"     //   rta_len 36 = 4 + 32, IFLA_INFO_DATA (2)
                + "2000" + "0100"     //     rta_len 32 = 4 + 16 + 12, VETH_INFO_PEER (1)
                //                           struct ifinfomsg of the peer (all zero)
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000"
                + "0900" + "0300"     //       rta_len 9 (4 + 5), IFLA_IFNAME
                + "6574683000"        //       "eth0" NUL
                + "000000",           //       padding to 12
                asSent(addVeth("veth0", "eth0", 0), 8));
    }

    @Test
    void newLinkVethWithMtuOnBothEnds() {
        assertBytes(""
                + "70000000" + "1000" + "0506" + "09000000" + "00000000"   // nlmsghdr: len 112, RTM_NEWLINK, seq 9
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000" // ifinfomsg
                + "0a00" + "0300" + "766574683000" + "0000"                 // IFLA_IFNAME "veth0"
                + "0800" + "0400" + "dc050000"                             // IFLA_MTU 1500
                + "3c00" + "1200"                                          // IFLA_LINKINFO, len 60
                + "0900" + "0100" + "7665746800" + "000000"                //   IFLA_INFO_KIND "veth"
                + "2c00" + "0200"                                          //   IFLA_INFO_DATA, len 44
                + "2800" + "0100"                                          //     VETH_INFO_PEER, len 40
                + "00" + "00" + "0000" + "00000000" + "00000000" + "00000000" //   peer ifinfomsg
                + "0900" + "0300" + "6574683000" + "000000"                //       IFLA_IFNAME "eth0"
                + "0800" + "0400" + "dc050000",                            //       IFLA_MTU 1500
                asSent(addVeth("veth0", "eth0", 1500), 9));
    }

    @ParameterizedTest(name = "payload of {0} bytes")
    @CsvSource({
            // payload length, expected attribute bytes (rta_len, rta_type 0x0101, payload 01 02 .., zero padding),
            //   then a marker u32 attribute that must start on the next 4-byte boundary
            "0, 0400 0101                      0800 0200 efbeadde",
            "1, 0500 0101 01 000000            0800 0200 efbeadde",
            "2, 0600 0101 0102 0000            0800 0200 efbeadde",
            "3, 0700 0101 010203 00            0800 0200 efbeadde",
            "4, 0800 0101 01020304             0800 0200 efbeadde",
            "5, 0900 0101 0102030405 000000    0800 0200 efbeadde",
    })
    void attributePayloadIsPaddedToFourBytes(int length, String attrs) {
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            payload[i] = (byte) (i + 1);
        }
        byte[] built = new MessageBuilder(0x1234, 0).attr(0x0101, payload).attrU32(2, 0xdeadbeef).build(1);
        int attrLen = (4 + length + 3) / 4 * 4;
        String lenHex = String.format("%02x000000", 16 + attrLen + 8);
        assertBytes(lenHex + "3412" + "0000" + "01000000" + "00000000" + attrs, built);
    }

    @Test
    void stringAttributes() {
        byte[] built = new MessageBuilder(1, 0)
                .attrString(3, "")          // just the NUL
                .attrString(3, "é")         // UTF-8 c3 a9, then NUL
                .build(0);
        assertBytes("20000000 0100 0000 00000000 00000000"
                + "0500 0300 00 000000"      // rta_len 5, "" NUL, padding
                + "0700 0300 c3a900 00",     // rta_len 7, "é" NUL, padding
                built);
    }

    @Test
    void nestedLengthsThreeDeep() {
        byte[] built = new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0)
                .beginNested(1)
                .beginNested(2)
                .beginNested(3)
                .attrU32(4, 0x11223344)
                .endNested()
                .attr(6, new byte[] {0x7f})
                .endNested()
                .attrString(5, "ab")
                .endNested()
                .build(1);
        assertBytes(""
                + "34000000" + "1000" + "0000" + "01000000" + "00000000" // nlmsghdr: len 52
                + "2400" + "0100"          // outer, rta_len 36 = 4 + 24 + 8
                + "1800" + "0200"          //   middle, rta_len 24 = 4 + 12 + 8
                + "0c00" + "0300"          //     inner, rta_len 12 = 4 + 8
                + "0800" + "0400" + "44332211" //     u32 0x11223344
                + "0500" + "0600" + "7f" + "000000" //   1-byte attribute, padded
                + "0700" + "0500" + "616200" + "00", // "ab" NUL, padded
                built);
    }

    @Test
    void emptyNestIsFourBytes() {
        assertBytes("14000000 1000 0000 00000000 00000000" + "0400 1200",
                new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).beginNested(IfLink.IFLA_LINKINFO).endNested().build(0));
    }

    @Test
    void buildRefusesAnUnclosedNest() {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).struct(IfInfoMsg.of(0))
                .beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "veth")
                .beginNested(IfLink.IFLA_INFO_DATA).endNested();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.build(1));
        assertEquals("unclosed nested attribute", e.getMessage());
    }

    @Test
    void flagsAreOredIntoNlmsgFlags() {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_GETLINK, Netlink.NLM_F_CREATE)
                .flags(Netlink.NLM_F_REQUEST)
                .flags(Netlink.NLM_F_DUMP)
                .flags(Netlink.NLM_F_REQUEST)
                .flags(0x8000);                       // the top bit of the u16 must survive too
        // nlmsg_flags 0x8701 = 0x8000 | CREATE 0x400 | MATCH 0x200 | ROOT 0x100 | REQUEST 0x1
        assertBytes("10000000" + "1200" + "0187" + "05000000" + "00000000", m.build(5));
    }

    @Test
    void flagsDoNotTouchTheRestOfTheHeader() {
        byte[] built = new MessageBuilder(0xfffe, 0).attrU32(1, 7).flags(0x0001).build(0x7fffffff);
        assertBytes("18000000" + "feff" + "0100" + "ffffff7f" + "00000000" + "0800 0100 07000000", built);
    }

    @Test
    void bufferGrowsPastItsInitialCapacity() {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).struct(IfInfoMsg.of(3))
                .beginNested(IfLink.IFLA_LINKINFO);   // opened before the buffer grows, closed after
        for (int i = 0; i < 100; i++) {
            m.attrU32(i + 1, 0x01000000 + i);
        }
        m.endNested().flags(Netlink.NLM_F_REQUEST);
        byte[] built = m.build(42);

        // Expected, written field by field: 16 header + 16 ifinfomsg + 4 nest header + 100 * 8.
        int total = 16 + 16 + 4 + 100 * 8;
        ByteBuffer expected = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        expected.putInt(total).putShort((short) 16).putShort((short) 1).putInt(42).putInt(0);
        expected.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(3).putInt(0).putInt(0);
        expected.putShort((short) (4 + 100 * 8)).putShort((short) 18);
        for (int i = 0; i < 100; i++) {
            expected.putShort((short) 8).putShort((short) (i + 1)).putInt(0x01000000 + i);
        }
        assertEquals(836, total);
        assertEquals(Hex.of(expected.array()), Hex.of(built));
    }

    @Test
    void oneAttributeLargerThanTwiceTheBuffer() {
        byte[] big = new byte[1001];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        byte[] built = new MessageBuilder(1, 0).attr(9, big).attrU32(2, -1).build(3);
        assertEquals(16 + 1008 + 8, built.length);
        ByteBuffer b = ByteBuffer.wrap(built).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1032, b.getInt(0));                 // nlmsg_len
        assertEquals(1005, b.getShort(16));              // rta_len 4 + 1001 (unpadded)
        assertEquals(9, b.getShort(18));
        for (int i = 0; i < big.length; i++) {
            assertEquals(big[i], built[20 + i], "payload byte " + i);
        }
        assertEquals(0, built[1021]);                    // three padding bytes
        assertEquals(0, built[1022]);
        assertEquals(0, built[1023]);
        assertBytes("0800 0200 ffffffff", java.util.Arrays.copyOfRange(built, 1024, 1032));
    }
}
