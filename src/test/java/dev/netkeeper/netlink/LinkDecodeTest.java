package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Hex;
import dev.netkeeper.netlink.nl.IfAddr;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;

import static dev.netkeeper.netlink.nl.Hex.assertBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Decoding replies the kernel sends (RTM_NEWLINK, RTM_NEWADDR) and encoding the address and route
 * requests, against hand-written vectors (rtnetlink.h, if_link.h, if_addr.h; little-endian).
 */
class LinkDecodeTest {

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "vectors are written for a little-endian host");
    }

    private static NetlinkMessage one(String hex, int expectedLength) {
        assertEquals(expectedLength, Hex.bytes(hex).length, "the vector itself");
        List<NetlinkMessage> all = NetlinkMessage.parseAll(Hex.buffer(hex));
        assertEquals(1, all.size());
        return all.get(0);
    }

    // ---- RTM_NEWLINK replies

    static final String NEWLINK_VETH0 = ""
            // struct nlmsghdr
            + "7c000000"                                  // nlmsg_len 124
            + "1000"                                      // RTM_NEWLINK
            + "0000"                                      // flags
            + "09000000"                                  // seq 9
            + "39300000"                                  // pid 12345
            // struct ifinfomsg
            + "00" + "00"                                 // AF_UNSPEC, pad
            + "0100"                                      // ifi_type ARPHRD_ETHER
            + "04000000"                                  // ifi_index 4
            + "01000000"                                  // ifi_flags IFF_UP
            + "00000000"                                  // ifi_change
            + "0a00" + "0300" + "766574683000" + "0000"   // IFLA_IFNAME "veth0" NUL, padded       (12)
            + "0800" + "0400" + "dc050000"                // IFLA_MTU 1500                          (8)
            + "0800" + "0d00" + "e8030000"                // IFLA_TXQLEN 1000 (not decoded)         (8)
            + "0a00" + "0100" + "0242ac110002" + "0000"   // IFLA_ADDRESS 02:42:ac:11:00:02         (12)
            + "0a00" + "0200" + "ffffffffffff" + "0000"   // IFLA_BROADCAST ff:ff:ff:ff:ff:ff       (12)
            + "0800" + "0a00" + "02000000"                // IFLA_MASTER 2                          (8)
            + "0800" + "0500" + "03000000"                // IFLA_LINK 3                            (8)
            + "0500" + "1000" + "06" + "000000"           // IFLA_OPERSTATE IF_OPER_UP (6), u8      (8)
            + "1000" + "1200"                             // IFLA_LINKINFO, len 16                  (16)
            + "0900" + "0100" + "7665746800" + "000000";  //   IFLA_INFO_KIND "veth" NUL, padded

    @Test
    void decodesAVethReply() {
        Link link = LinkOps.decode(one(NEWLINK_VETH0, 124));
        assertEquals(new Link(4, "veth0", "veth", 2, 3, Optional.of(MacAddress.parse("02:42:ac:11:00:02")),
                1500, IfLink.IFF_UP, OperState.UP), link);
        assertTrue(link.isUp());
        assertTrue(link.hasMaster());
    }

    @Test
    void decodesAMinimalReply() {
        String hex = ""
                + "30000000 1000 0000 01000000 00000000"      // nlmsghdr, len 48
                + "00 00 0403 01000000 08000000 00000000"     // ifinfomsg: ARPHRD_LOOPBACK, index 1, IFF_LOOPBACK (down)
                + "0700 0300 6c6f00 00"                       // IFLA_IFNAME "lo"
                + "0800 0100 00000000";                       // IFLA_ADDRESS of 4 bytes: not a MAC
        Link link = LinkOps.decode(one(hex, 48));
        assertEquals(new Link(1, "lo", "", 0, 0, Optional.empty(), 0, 0x8, OperState.UNKNOWN), link);
        assertFalse(link.isUp());
        assertFalse(link.hasMaster());
    }

    @Test
    void decodesNestedLinkInfoWithNlaFNestedAndUnknownOperState() {
        String hex = ""
                + "40000000 1000 0000 01000000 00000000"      // nlmsghdr, len 64
                + "00 00 0100 07000000 03100100 00000000"     // ifinfomsg index 7, flags 0x11003
                + "0700 0300 627200 00"                       // IFLA_IFNAME "br"
                + "0500 1000 07 000000"                       // IFLA_OPERSTATE 7: not an IF_OPER_* value
                + "1000 1280"                                 // IFLA_LINKINFO | NLA_F_NESTED
                + "0b00 0100 62726964676500 00";              //   IFLA_INFO_KIND "bridge"
        Link link = LinkOps.decode(one(hex, 64));
        assertEquals(new Link(7, "br", "bridge", 0, 0, Optional.empty(), 0, 0x11003, OperState.UNKNOWN), link);
        assertTrue(link.isUp());
    }

    // ---- RTM_NEWADDR replies

    @Test
    void decodesAnIpv4AddressFromIfaLocal() {
        String hex = ""
                + "58000000 1400 0200 05000000 00000000"      // nlmsghdr: len 88, RTM_NEWADDR, NLM_F_MULTI
                + "02" + "18" + "80" + "00" + "05000000"      // ifaddrmsg: AF_INET, /24, PERMANENT, universe, index 5
                + "0800 0100 0a010063"                        // IFA_ADDRESS 10.1.0.99 (a peer: must not win)
                + "0800 0200 0a010002"                        // IFA_LOCAL 10.1.0.2
                + "0800 0400 0a0100ff"                        // IFA_BROADCAST 10.1.0.255
                + "0900 0300 6574683000 000000"               // IFA_LABEL "eth0"
                + "0800 0800 80000000"                        // IFA_FLAGS PERMANENT
                + "1400 0600 ffffffff ffffffff 64000000 64000000"; // IFA_CACHEINFO
        Optional<Address> a = AddressOps.decode(one(hex, 88));
        assertEquals(Optional.of(new Address(5, new IpPrefix(IpPrefix.literal("10.1.0.2"), 24), 0, 0x80)), a);
    }

    @Test
    void ipv4FlagsFallBackToTheHeaderByte() {
        String hex = ""
                + "28000000 1400 0000 01000000 00000000"      // nlmsghdr, len 40
                + "02 08 80 fe 01000000"                      // AF_INET /8 PERMANENT scope host (254) index 1
                + "0800 0100 7f000001"                        // IFA_ADDRESS 127.0.0.1
                + "0800 0200 7f000001";                       // IFA_LOCAL 127.0.0.1
        assertEquals(Optional.of(new Address(1, IpPrefix.parse("127.0.0.1/8"), 254, 0x80)),
                AddressOps.decode(one(hex, 40)));
    }

    @Test
    void decodesAnIpv6AddressFromIfaAddressWithU32Flags() {
        String hex = ""
                + "48000000 1400 0200 06000000 00000000"      // nlmsghdr: len 72
                + "0a" + "40" + "82" + "00" + "05000000"      // AF_INET6, /64, u8 flags 0x82, universe, index 5
                + "1400 0100 fd000000000000000000000000000002" // IFA_ADDRESS fd00::2
                + "1400 0600 ffffffff ffffffff 64000000 64000000" // IFA_CACHEINFO
                + "0800 0800 82020000";                       // IFA_FLAGS 0x282 = NOPREFIXROUTE|PERMANENT|NODAD
        assertEquals(Optional.of(new Address(5, IpPrefix.parse("fd00::2/64"), 0, 0x282)),
                AddressOps.decode(one(hex, 72)));
    }

    @Test
    void decodesALinkLocalIpv6Scope() {
        String hex = ""
                + "34000000 1400 0200 06000000 00000000"      // nlmsghdr: len 52
                + "0a 40 80 fd 05000000"                      // scope RT_SCOPE_LINK (253)
                + "1400 0100 fe800000000000000000000000000042" // IFA_ADDRESS fe80::42
                + "0800 0800 80000000";                       // IFA_FLAGS PERMANENT
        assertEquals(Optional.of(new Address(5, IpPrefix.parse("fe80::42/64"), 253, 0x80)),
                AddressOps.decode(one(hex, 52)));
    }

    @Test
    void addressWithoutAnAddressOrWithABadLengthIsSkipped() {
        String noAddress = "24000000 1400 0000 01000000 00000000" + "02 18 00 00 05000000"
                + "0900 0300 6574683000 000000";              // only IFA_LABEL
        assertEquals(Optional.empty(), AddressOps.decode(one(noAddress, 36)));
        String badLength = "24000000 1400 0000 01000000 00000000" + "02 18 00 00 05000000"
                + "0900 0200 0a01000200 000000";              // IFA_LOCAL of 5 bytes
        assertEquals(Optional.empty(), AddressOps.decode(one(badLength, 36)));
    }

    // ---- requests

    @Test
    void addIpv4AddressRequest() {
        byte[] built = AddressOps.request(Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 7,
                IpPrefix.parse("10.1.0.2/24")).build(1);
        assertBytes(""
                + "28000000"          // nlmsg_len 40
                + "1400"              // RTM_NEWADDR (20)
                + "0006"              // NLM_F_CREATE | NLM_F_EXCL = 0x600
                + "01000000"          // seq 1
                + "00000000"          // pid 0
                + "02"                // ifa_family AF_INET
                + "18"                // ifa_prefixlen 24
                + "00"                // ifa_flags
                + "00"                // ifa_scope RT_SCOPE_UNIVERSE
                + "07000000"          // ifa_index 7
                + "0800" + "0200" + "0a010002"   // IFA_LOCAL 10.1.0.2
                + "0800" + "0100" + "0a010002",  // IFA_ADDRESS 10.1.0.2
                built);
    }

    @Test
    void addIpv6AddressRequestHasNoDad() {
        byte[] built = AddressOps.request(Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, 7,
                IpPrefix.parse("fd00::2/64")).build(1);
        assertBytes(""
                + "48000000" + "1400" + "0006" + "01000000" + "00000000" // nlmsghdr: len 72
                + "0a" + "40" + "00" + "00" + "07000000"                 // AF_INET6, /64, 0, universe, index 7
                + "1400" + "0200" + "fd000000000000000000000000000002"   // IFA_LOCAL fd00::2 (rta_len 20)
                + "1400" + "0100" + "fd000000000000000000000000000002"   // IFA_ADDRESS fd00::2
                + "0800" + "0800" + "02000000",                          // IFA_FLAGS IFA_F_NODAD
                built);
        assertEquals(IfAddr.IFA_F_NODAD, 0x02);
    }

    @Test
    void deleteIpv6AddressRequestHasNoFlagsAttribute() {
        byte[] built = AddressOps.request(Rtnetlink.RTM_DELADDR, 0, 7, IpPrefix.parse("fd00::2/64")).build(2);
        assertBytes(""
                + "40000000" + "1500" + "0000" + "02000000" + "00000000" // len 64, RTM_DELADDR (21)
                + "0a 40 00 00 07000000"
                + "1400 0200 fd000000000000000000000000000002"
                + "1400 0100 fd000000000000000000000000000002",
                built);
    }

    @Test
    void defaultRouteRequest() {
        // What RouteOps.addDefault(10.1.0.1, link #3) sends: scope universe because there is a gateway.
        Route route = new Route(Rtnetlink.AF_INET, Optional.empty(), Optional.of(IpPrefix.literal("10.1.0.1")), 3);
        byte[] built = RouteOps.request(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, route,
                Rtnetlink.RT_SCOPE_UNIVERSE).build(1);
        assertBytes(""
                + "2c000000"          // nlmsg_len 44
                + "1800"              // RTM_NEWROUTE (24)
                + "0006"              // CREATE | EXCL
                + "01000000" + "00000000"
                + "02"                // rtm_family AF_INET
                + "00"                // rtm_dst_len 0: default
                + "00"                // rtm_src_len
                + "00"                // rtm_tos
                + "fe"                // rtm_table RT_TABLE_MAIN
                + "03"                // rtm_protocol RTPROT_BOOT
                + "00"                // rtm_scope RT_SCOPE_UNIVERSE
                + "01"                // rtm_type RTN_UNICAST
                + "00000000"          // rtm_flags
                + "0800" + "0500" + "0a010001"   // RTA_GATEWAY 10.1.0.1
                + "0800" + "0400" + "03000000",  // RTA_OIF 3
                built);
    }

    @Test
    void connectedRouteRequest() {
        Route route = new Route(Rtnetlink.AF_INET, Optional.of(IpPrefix.parse("10.1.0.0/24")), Optional.empty(), 3);
        byte[] built = RouteOps.request(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL, route,
                Rtnetlink.RT_SCOPE_LINK).build(1);
        assertBytes(""
                + "2c000000 1800 0006 01000000 00000000"
                + "02 18 00 00 fe 03 fd 01 00000000"     // dst_len 24, scope link (253)
                + "0800 0100 0a010000"                   // RTA_DST 10.1.0.0
                + "0800 0400 03000000",                  // RTA_OIF 3
                built);
    }

    @Test
    void deleteIpv6DefaultRouteRequest() {
        Route route = Route.defaultVia(IpPrefix.literal("fe80::1"));
        byte[] built = RouteOps.request(Rtnetlink.RTM_DELROUTE, 0, route, 255).build(3);
        assertBytes(""
                + "30000000 1900 0000 03000000 00000000"  // len 48, RTM_DELROUTE (25)
                + "0a 00 00 00 fe 03 ff 01 00000000"      // AF_INET6, scope RT_SCOPE_NOWHERE (255)
                + "1400 0500 fe800000000000000000000000000001", // RTA_GATEWAY fe80::1; no RTA_OIF (index 0)
                built);
    }
}
