package dev.netkeeper.netlink.nl;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.netkeeper.netlink.nl.Hex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** struct ifinfomsg, ifaddrmsg and rtmsg against their layouts in rtnetlink.h and if_addr.h. */
class StructsTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are written for a little-endian host");
    }

    private static byte[] write(NetlinkStruct s) {
        ByteBuffer b = ByteBuffer.allocate(s.size() + 8).order(ByteOrder.nativeOrder());
        b.putInt(0xcafebabe);                       // something before: writeTo must write at the position
        s.writeTo(b);
        assertEquals(4 + s.size(), b.position(), "writeTo advances by exactly size()");
        assertEquals(0xcafebabe, b.getInt(0), "writeTo must not touch bytes before its position");
        return Arrays.copyOfRange(b.array(), 4, 4 + s.size());
    }

    private static ByteBuffer at(byte[] raw) {
        ByteBuffer b = ByteBuffer.allocate(raw.length + 4).order(ByteOrder.nativeOrder());
        b.putShort((short) 0x7777).put(raw).putShort((short) 0x7777).position(2);
        return b;
    }

    // ---- sizes: sizeof() of the structs in the uapi headers

    @Test
    void sizesAreTheKernelStructSizes() {
        // ifinfomsg: u8 family, u8 pad, u16 type, int index, unsigned flags, unsigned change
        assertEquals(1 + 1 + 2 + 4 + 4 + 4, IfInfoMsg.SIZE);
        assertEquals(16, IfInfoMsg.SIZE);
        assertEquals(IfInfoMsg.SIZE, IfInfoMsg.of(0).size());
        // ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index
        assertEquals(8, IfAddrMsg.SIZE);
        assertEquals(IfAddrMsg.SIZE, new IfAddrMsg(0, 0, 0, 0, 0).size());
        // rtmsg: 8 x unsigned char, unsigned flags
        assertEquals(12, RtMsg.SIZE);
        assertEquals(RtMsg.SIZE, new RtMsg(0, 0, 0, 0, 0, 0, 0, 0, 0).size());
        // nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid
        assertEquals(16, Netlink.NLMSG_HDRLEN);
    }

    // ---- ifinfomsg

    @Test
    void ifInfoMsgBytes() {
        IfInfoMsg m = new IfInfoMsg(7, IfLink.ARPHRD_LOOPBACK, 4,
                IfLink.IFF_UP | IfLink.IFF_LOOPBACK | IfLink.IFF_LOWER_UP, 0xffffffff);
        assertBytes(""
                + "07"        // ifi_family = 7 (AF_BRIDGE)
                + "00"        // __ifi_pad
                + "0403"      // ifi_type = ARPHRD_LOOPBACK 772 = 0x0304
                + "04000000"  // ifi_index = 4
                + "09000100"  // ifi_flags = IFF_UP | IFF_LOOPBACK | IFF_LOWER_UP = 0x10009
                + "ffffffff", // ifi_change = ~0
                write(m));
    }

    @Test
    void ifInfoMsgFactories() {
        assertBytes("00 00 0000 05000000 00000000 00000000", write(IfInfoMsg.of(5)));
        assertBytes("00 00 0000 05000000 01000000 01000000", write(IfInfoMsg.withUp(5, true)));
        assertBytes("00 00 0000 05000000 00000000 01000000", write(IfInfoMsg.withUp(5, false)));
    }

    @Test
    void ifInfoMsgReadsWhatTheKernelWrites() {
        // family AF_INET6, pad byte set (must be ignored), type 0xfffe (ARPHRD_NONE), index 0x7fffffff,
        // flags with the high bit set, change 0x80000001
        ByteBuffer b = at(Hex.bytes("0a ff feff ffffff7f 03100080 01000080"));
        IfInfoMsg m = IfInfoMsg.readFrom(b);
        assertEquals(new IfInfoMsg(10, 0xfffe, 0x7fffffff, 0x80001003, 0x80000001), m);
        assertEquals(2 + 16, b.position(), "readFrom consumes exactly 16 bytes");
    }

    @Test
    void ifInfoMsgRoundTrips() {
        for (IfInfoMsg m : new IfInfoMsg[] {
                new IfInfoMsg(0, 0, 0, 0, 0),
                new IfInfoMsg(255, 65535, -1, -1, -1),
                new IfInfoMsg(10, 1, 12345, 0x80000000, 0x1),
                new IfInfoMsg(129, 32768, Integer.MIN_VALUE, 0x11003, 0)}) {
            assertEquals(m, IfInfoMsg.readFrom(at(write(m))));
        }
    }

    // ---- ifaddrmsg

    @Test
    void ifAddrMsgBytes() {
        assertBytes(""
                + "0a"        // ifa_family = AF_INET6 (10)
                + "80"        // ifa_prefixlen = 128
                + "80"        // ifa_flags = IFA_F_PERMANENT (0x80)
                + "fd"        // ifa_scope = RT_SCOPE_LINK (253)
                + "07000000", // ifa_index = 7
                write(new IfAddrMsg(Rtnetlink.AF_INET6, 128, IfAddr.IFA_F_PERMANENT, Rtnetlink.RT_SCOPE_LINK, 7)));
        assertBytes("02 18 00 00 01020304",
                write(new IfAddrMsg(Rtnetlink.AF_INET, 24, 0, Rtnetlink.RT_SCOPE_UNIVERSE, 0x04030201)));
    }

    @Test
    void ifAddrMsgReadsUnsignedBytes() {
        ByteBuffer b = at(Hex.bytes("0a 80 c2 fe 01000080"));
        assertEquals(new IfAddrMsg(10, 128, 0xc2, 254, 0x80000001), IfAddrMsg.readFrom(b));
        assertEquals(2 + 8, b.position());
    }

    @Test
    void ifAddrMsgRoundTrips() {
        for (IfAddrMsg m : new IfAddrMsg[] {
                new IfAddrMsg(0, 0, 0, 0, 0),
                new IfAddrMsg(10, 128, 0xff, 253, 1),
                new IfAddrMsg(2, 32, 0x80, 254, -1),
                new IfAddrMsg(255, 255, 255, 255, Integer.MIN_VALUE)}) {
            assertEquals(m, IfAddrMsg.readFrom(at(write(m))));
        }
    }

    // ---- rtmsg

    @Test
    void rtMsgBytes() {
        RtMsg m = new RtMsg(Rtnetlink.AF_INET6, 128, 64, 0xb8, Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTPROT_STATIC,
                Rtnetlink.RT_SCOPE_LINK, Rtnetlink.RTN_UNICAST, 0x80000200);
        assertBytes(""
                + "0a"        // rtm_family = AF_INET6
                + "80"        // rtm_dst_len = 128
                + "40"        // rtm_src_len = 64
                + "b8"        // rtm_tos = 0xb8
                + "fe"        // rtm_table = RT_TABLE_MAIN (254)
                + "04"        // rtm_protocol = RTPROT_STATIC (4)
                + "fd"        // rtm_scope = RT_SCOPE_LINK (253)
                + "01"        // rtm_type = RTN_UNICAST (1)
                + "00020080", // rtm_flags = 0x80000200
                write(m));
    }

    @Test
    void rtMsgReadsUnsignedBytes() {
        ByteBuffer b = at(Hex.bytes("0a 80 80 ff fe 03 fe 01 00100000"));
        assertEquals(new RtMsg(10, 128, 128, 255, 254, 3, 254, 1, 0x1000), RtMsg.readFrom(b));
        assertEquals(2 + 12, b.position());
    }

    @Test
    void rtMsgRoundTrips() {
        for (RtMsg m : new RtMsg[] {
                new RtMsg(0, 0, 0, 0, 0, 0, 0, 0, 0),
                new RtMsg(2, 32, 0, 0, 254, 3, 0, 1, 0),
                new RtMsg(10, 128, 128, 255, 255, 255, 253, 255, -1),
                new RtMsg(10, 0, 0, 0, 254, 186, 254, 2, Integer.MIN_VALUE)}) {
            assertEquals(m, RtMsg.readFrom(at(write(m))));
        }
    }
}
