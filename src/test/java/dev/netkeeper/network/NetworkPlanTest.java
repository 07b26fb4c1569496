package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.network.driver.BridgeDriver;
import dev.netkeeper.network.driver.Drivers;
import dev.netkeeper.network.driver.NetworkDriver;
import dev.netkeeper.network.driver.NullDriver;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkPlanTest {
    static final Drivers DRIVERS = Drivers.load();
    static final NetworkDriver BRIDGE = DRIVERS.find("bridge");
    static final NetworkDriver NULL = DRIVERS.find("null");

    static NetworkOptions.Builder opts() {
        return NetworkOptions.builder();
    }

    static NetworkOptions.Builder v4() {
        return opts().subnet("10.1.0.0/24");
    }

    static NetworkPlan plan(NetworkOptions.Builder b) {
        return NetworkPlan.validate("net1", BRIDGE, b.build());
    }

    static NetkeeperException refused(ErrorCode code, String name, NetworkDriver driver, NetworkOptions options,
                                      String... fragments) {
        NetkeeperException e = assertThrows(NetkeeperException.class,
                () -> NetworkPlan.validate(name, driver, options));
        assertEquals(code, e.code(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should name " + f);
        }
        return e;
    }

    static String bridgeNameOf(String network) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(network.getBytes(StandardCharsets.UTF_8));
        return "nk-" + HexFormat.of().formatHex(d).substring(0, 8);
    }

    // ---- refusals --------------------------------------------------------------------------------

    static Arguments refusal(String what, NetworkOptions.Builder options, String... fragments) {
        return Arguments.of(Named.of(what, options.build()), fragments);
    }

    static Stream<Arguments> invalidOptions() {
        return Stream.of(
                refusal("MTU 67", opts().mtu(67), "MTU 67", "68..65535"),
                refusal("MTU 65536", opts().mtu(65536), "MTU 65536"),
                refusal("negative MTU", opts().mtu(-1), "MTU -1"),
                refusal("CIDR prefix too long", opts().subnet("10.1.0.0/33"), "10.1.0.0/33"),
                refusal("CIDR not an address", opts().subnet("banana/24"), "banana/24"),
                refusal("CIDR without length", opts().subnet("10.1.0.0"), "10.1.0.0"),
                refusal("CIDR with host bits", opts().subnet("10.1.0.5/24"), "10.1.0.5/24", "host bits"),
                refusal("IPv6 CIDR invalid", opts().subnetIPv6("fd00::zz/64"), "fd00::zz/64"),
                refusal("IPv6 given as subnet", opts().subnet("fd00::/64"), "fd00::/64", "not IPv4"),
                refusal("IPv4 given as subnetIPv6", opts().subnetIPv6("10.1.0.0/24"), "10.1.0.0/24", "not IPv6"),
                refusal("IPv4 subnet too small", opts().subnet("10.1.0.0/31"), "10.1.0.0/31", "between 8 and 30"),
                refusal("IPv4 subnet too large", opts().subnet("10.0.0.0/7"), "10.0.0.0/7"),
                refusal("IPv6 subnet too small", opts().subnetIPv6("fd00::/127"), "fd00::/127", "48 and 126"),
                refusal("IPv6 subnet too large", opts().subnetIPv6("fd00::/47"), "fd00::/47"),
                refusal("gateway outside subnet", v4().gateway("10.2.0.1"), "gateway 10.2.0.1", "10.1.0.0/24"),
                refusal("IPv6 gateway outside IPv6 subnet", opts().subnetIPv6("fd00:1::/64").gatewayIPv6("fd00:2::1"),
                        "fd00:2::1", "fd00:1::/64"),
                refusal("IPv6 gateway for the IPv4 subnet", v4().gateway("fd00::1"), "fd00::1", "outside"),
                refusal("IPv4 gateway for the IPv6 subnet", opts().subnetIPv6("fd00::/64").gatewayIPv6("10.1.0.1"),
                        "10.1.0.1", "outside"),
                refusal("gateway not an address", v4().gateway("10.1.0.1/24"), "'10.1.0.1/24'", "not an IP address"),
                refusal("gateway is the network address", v4().gateway("10.1.0.0"), "10.1.0.0", "network address"),
                refusal("gateway is the broadcast address", v4().gateway("10.1.0.255"), "10.1.0.255",
                        "broadcast address"),
                refusal("IPv6 gateway is the network address", opts().subnetIPv6("fd00::/64").gatewayIPv6("fd00::"),
                        "fd00::", "network address"),
                refusal("ip-range outside subnet", v4().ipRange("10.2.0.0/25"), "ip-range 10.2.0.0/25", "10.1.0.0/24"),
                refusal("ip-range wider than subnet", v4().ipRange("10.1.0.0/16"), "10.1.0.0/16", "outside"),
                refusal("ip-range with host bits", v4().ipRange("10.1.0.5/25"), "ip-range", "10.1.0.5/25"),
                refusal("ip-range of the other family", v4().ipRange("fd00::/120"), "fd00::/120"),
                refusal("reserved outside subnet", v4().reserved(List.of("10.1.0.9", "10.2.0.5")),
                        "reserved address 10.2.0.5", "10.1.0.0/24"),
                refusal("reserved not an address", v4().reserved(List.of("x.y")), "'x.y'", "not an IP address"),
                refusal("gateway without subnet", opts().gateway("10.1.0.1"), "explicit subnet"),
                refusal("ip-range without subnet", opts().ipRange("10.1.0.0/25"), "explicit subnet"),
                refusal("IPv6 gateway without IPv6 subnet", v4().gatewayIPv6("fd00::1"), "IPv6 subnet"),
                // a reserved address needs a subnet of its family to be checked against and kept out of
                refusal("reserved without subnet", opts().reserved(List.of("10.1.0.5")), "10.1.0.5", "subnet"),
                refusal("non-address reserved without subnet", opts().reserved(List.of("bogus")), "'bogus'",
                        "not an IP address"),
                refusal("IPv6 reserved without IPv6 subnet", v4().reserved(List.of("fd00::5")), "fd00::5",
                        "IPv6 subnet"),
                refusal("IPv6 reserved outside IPv6 subnet", v4().subnetIPv6("fd00::/64")
                        .reserved(List.of("fe80::1")), "fe80::1", "fd00::/64"),
                refusal("unknown bridge option", opts().driverOption("bridge.foo", "x"), "bridge.foo"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidOptions")
    void refusesInvalidOptions(NetworkOptions options, String[] fragments) {
        refused(ErrorCode.INVALID_OPTION, "net1", BRIDGE, options, fragments);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/16", "127.0.0.0/16", "127.1.2.0/24", "169.254.0.0/16", "224.0.0.0/24",
        "239.255.0.0/16", "240.0.0.0/8", "255.255.255.0/24", "126.0.0.0/7"})
    void refusesIPv4RangesThatCannotHoldANetwork(String subnet) {
        refused(ErrorCode.INVALID_OPTION, "net1", BRIDGE, opts().subnet(subnet).build(), "overlaps", "cannot hold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::/64", "ff02::/64", "::/64", "::/96"})
    void refusesIPv6RangesThatCannotHoldANetwork(String subnet) {
        refused(ErrorCode.INVALID_OPTION, "net1", BRIDGE, opts().subnet("10.1.0.0/24").subnetIPv6(subnet).build(),
                "overlaps", "cannot hold");
    }

    @Test
    void privateAndDocumentationRangesAreFine() {
        for (String subnet : List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "11.0.0.0/8")) {
            NetworkPlan.validate("net1", BRIDGE, opts().subnet(subnet).build());
        }
        NetworkPlan.validate("net1", BRIDGE, opts().subnet("10.1.0.0/24").subnetIPv6("fd00:1::/64").build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-net", "_net", ".net", "a/b", "a b", "a:b", "net\n",
            "a123456789012345678901234567890123456789012345678901234567890123"})
    void refusesBadNetworkNames(String name) {
        NetkeeperException e = refused(ErrorCode.INVALID_NAME, name, BRIDGE, NetworkOptions.defaults(),
                "network name '" + name + "'");
        assertTrue(e.getMessage().contains("1-63"), e.getMessage());
    }

    @Test
    void sixtyFourCharactersIsOneTooMany() {
        String name63 = "n".repeat(63);
        assertEquals(name63, NetworkPlan.validate(name63, BRIDGE, NetworkOptions.defaults()).name());
        refused(ErrorCode.INVALID_NAME, name63 + "x", BRIDGE, NetworkOptions.defaults(), name63 + "x");
        refused(ErrorCode.INVALID_NAME, null, BRIDGE, NetworkOptions.defaults(), "'null'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "net1", "0net", "my_net.1-x", "N"})
    void acceptsGoodNetworkNames(String name) {
        assertEquals(name, NetworkPlan.validate(name, BRIDGE, NetworkOptions.defaults()).name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"eth0", "net9", "abcdefghijklm", "0eth", "9", "", "-eth", "et h", "et/h", "et:h", "ä"})
    void refusesBadDstPrefixes(String prefix) {
        refused(ErrorCode.INVALID_NAME, "net1", BRIDGE, opts().dstPrefix(prefix).build(),
                "dstName prefix '" + prefix + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"e", "eth", "abcdefghijkl", "veth-", "ctr_", "Net0a"})
    void acceptsGoodDstPrefixes(String prefix) {
        assertEquals(prefix, plan(opts().dstPrefix(prefix)).dstPrefix());
    }

    @Test
    void mtuBounds() {
        assertEquals(68, plan(opts().mtu(68)).mtu());
        assertEquals(65535, plan(opts().mtu(65535)).mtu());
        assertEquals(1500, plan(opts().mtu(0)).mtu());
        assertEquals(9000, plan(opts().mtu(9000)).config(new Reservation("net1", "10.1.0.0/24", null)).mtu());
    }

    @Test
    void acceptsTheEdgesOfWhatIsAllowed() {
        plan(opts().subnet("10.0.0.0/8"));
        plan(opts().subnet("10.1.0.0/30").gateway("10.1.0.2"));
        plan(opts().subnetIPv6("fd00::/48"));
        plan(opts().subnetIPv6("fd00::/126"));
        plan(v4().gateway("10.1.0.254").ipRange("10.1.0.0/24").reserved(List.of("10.1.0.1", "10.1.0.254")));
        plan(opts().subnetIPv6("fd00::/64").gatewayIPv6("fd00::ffff:ffff:ffff:ffff"));
    }

    // ---- config ----------------------------------------------------------------------------------

    @Test
    void configFillsDefaults() throws Exception {
        NetworkConfig c = plan(v4()).config(new Reservation("net1", "10.1.0.0/24", null));
        assertEquals("net1", c.name());
        assertEquals("bridge", c.driver());
        assertEquals(new AddressPool("10.1.0.0/24", "10.1.0.1", null, List.of()), c.ipv4());
        assertNull(c.ipv6());
        assertEquals(1500, c.mtu());
        assertEquals(false, c.internal());
        assertEquals("eth", c.dstPrefix());
        assertEquals(Map.of(BridgeDriver.BRIDGE_NAME, bridgeNameOf("net1")), c.driverOptions());
        assertTrue(c.driverOptions().get("bridge.name").matches("nk-[0-9a-f]{8}"), c.driverOptions().toString());
    }

    @Test
    void bridgeNameIsDeterministicPerNetworkName() throws Exception {
        String a = NetworkPlan.validate("alpha", BRIDGE, NetworkOptions.defaults()).driverOptions().get("bridge.name");
        String again = NetworkPlan.validate("alpha", BRIDGE, NetworkOptions.defaults()).driverOptions()
                .get("bridge.name");
        String b = NetworkPlan.validate("beta", BRIDGE, NetworkOptions.defaults()).driverOptions().get("bridge.name");
        assertEquals(a, again);
        assertNotEquals(a, b);
        assertEquals(bridgeNameOf("alpha"), a);
        assertEquals(bridgeNameOf("beta"), b);
        assertEquals(11, a.length());
    }

    @Test
    void configOfACarvedSubnetUsesItsFirstHostAsGateway() {
        NetworkConfig c = plan(opts()).config(new Reservation("net1", "172.18.0.0/16", null));
        assertEquals(new AddressPool("172.18.0.0/16", "172.18.0.1", null, List.of()), c.ipv4());
        assertEquals(Optional.of("172.18.0.2/16"), Ipam.next(c.ipv4(), Set.of(), null));
    }

    @Test
    void configKeepsGivenValuesInCanonicalForm() {
        NetworkConfig c = plan(v4().gateway("10.1.0.254").ipRange("10.1.0.128/25").reserved(List.of("10.1.0.200"))
                .subnetIPv6("fd00:1::/64").gatewayIPv6("FD00:1:0:0::FE").mtu(1400).internal(true).dstPrefix("ctr")
                .driverOption("bridge.name", "br-custom"))
                .config(new Reservation("net1", "10.1.0.0/24", "fd00:1::/64"));
        assertEquals(new AddressPool("10.1.0.0/24", "10.1.0.254", "10.1.0.128/25", List.of("10.1.0.200")), c.ipv4());
        assertEquals(new AddressPool("fd00:1::/64", "fd00:1::fe", null, List.of()), c.ipv6());
        assertEquals(1400, c.mtu());
        assertTrue(c.internal());
        assertEquals("ctr", c.dstPrefix());
        assertEquals(Map.of("bridge.name", "br-custom"), c.driverOptions());
    }

    @Test
    void ipv6GatewayDefaultsToTheFirstHost() {
        NetworkConfig c = plan(opts().subnetIPv6("fd00:1::/64")).config(new Reservation("net1", "10.5.0.0/16",
                "fd00:1::/64"));
        assertEquals("fd00:1::1", c.ipv6().gateway());
        assertEquals("10.5.0.1", c.ipv4().gateway());
        assertEquals(Optional.of("fd00:1::2/64"), Ipam.next(c.ipv6(), Set.of(), null));
    }

    @Test
    void reservedAddressesGoToThePoolOfTheirFamily() {
        NetworkConfig c = plan(v4().subnetIPv6("fd00::/64").reserved(List.of("10.1.0.2", "FD00::2", "fd00::3")))
                .config(new Reservation("net1", "10.1.0.0/24", "fd00::/64"));
        assertEquals(List.of("10.1.0.2"), c.ipv4().reserved());
        assertEquals(List.of("fd00::2", "fd00::3"), c.ipv6().reserved());
        assertEquals(Optional.of("10.1.0.3/24"), Ipam.next(c.ipv4(), Set.of(), null));
        assertEquals(Optional.of("fd00::4/64"), Ipam.next(c.ipv6(), Set.of(), null));
    }

    @Test
    void anAliasResolvesToTheCanonicalType() {
        NetworkConfig c = NetworkPlan.validate("net1", DRIVERS.find("simplebridge"), v4().build())
                .config(new Reservation("net1", "10.1.0.0/24", null));
        assertEquals("bridge", c.driver());
    }

    // ---- drivers ---------------------------------------------------------------------------------

    @Test
    void nullDriverRefusesAddressOptions() {
        refused(ErrorCode.INVALID_OPTION, "n", NULL, v4().build(), "null driver", "assigns no addresses");
        refused(ErrorCode.INVALID_OPTION, "n", NULL, opts().subnetIPv6("fd00::/64").build(), "null driver");
        refused(ErrorCode.INVALID_OPTION, "n", NULL, opts().gateway("10.1.0.1").build(), "null driver");
        refused(ErrorCode.INVALID_OPTION, "n", NULL, opts().ipRange("10.1.0.0/25").build(), "null driver");
        refused(ErrorCode.INVALID_OPTION, "n", NULL, opts().reserved(List.of("10.1.0.5")).build(), "null driver");
        refused(ErrorCode.INVALID_OPTION, "n", NULL, opts().driverOption("bridge.name", "x").build(), "bridge.name");
    }

    @Test
    void nullDriverConfigHasNoPools() {
        NetworkPlan p = NetworkPlan.validate("none1", DRIVERS.find("none"), NetworkOptions.defaults());
        NetworkConfig c = p.config(new Reservation("none1", null, null));
        assertEquals("null", c.driver());
        assertNull(c.ipv4());
        assertNull(c.ipv6());
        assertEquals(Map.of(), c.driverOptions());
        assertEquals(1500, c.mtu());
    }

    @Test
    void bridgeNameIsCheckedAsALinkName() {
        refused(ErrorCode.INVALID_NAME, "net1", BRIDGE, opts().driverOption("bridge.name", "abcdefghijklmnop").build(),
                "bridge.name", "abcdefghijklmnop", "15");
        // 9 characters but 16 bytes in UTF-8
        refused(ErrorCode.INVALID_NAME, "net1", BRIDGE, opts().driverOption("bridge.name", "brüüüüüüü").build(),
                "16 bytes");
        refused(ErrorCode.INVALID_NAME, "net1", BRIDGE, opts().driverOption("bridge.name", "br/0").build(), "'/'");
        refused(ErrorCode.INVALID_NAME, "net1", BRIDGE, opts().driverOption("bridge.name", "").build(), "empty");
        assertEquals("abcdefghijklmno", plan(opts().driverOption("bridge.name", "abcdefghijklmno"))
                .driverOptions().get("bridge.name"));
    }

    @Test
    void driversAreFoundByTypeAndAlias() {
        assertInstanceOf(BridgeDriver.class, DRIVERS.find("simplebridge"));
        assertSame(DRIVERS.find("bridge"), DRIVERS.find("simplebridge"));
        assertInstanceOf(NullDriver.class, DRIVERS.find("none"));
        assertSame(DRIVERS.find("null"), DRIVERS.find("none"));
    }

    @Test
    void anUnknownDriverListsTheInstalledOnes() {
        NetkeeperException e = assertThrows(NetkeeperException.class, () -> DRIVERS.find("nope"));
        assertEquals(ErrorCode.UNKNOWN_DRIVER, e.code());
        assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
        // the test classpath also installs a test-only driver (agent/MacvlanTestDriver): check ours are listed
        for (String name : new String[] {"bridge", "none", "null", "simplebridge"}) {
            assertTrue(e.getMessage().matches(".*installed: .*\\b" + name + "\\b.*"), e.getMessage());
        }
        assertEquals(ErrorCode.UNKNOWN_DRIVER, assertThrows(NetkeeperException.class, () -> DRIVERS.find(null)).code());
        assertEquals(ErrorCode.UNKNOWN_DRIVER,
                assertThrows(NetkeeperException.class, () -> DRIVERS.find("Bridge")).code());
    }
}
