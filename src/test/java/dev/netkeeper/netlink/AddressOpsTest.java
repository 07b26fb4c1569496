package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AddressOps against the kernel, cross-checked with {@code ip -j addr}. */
class AddressOpsTest {
    private static final int IFA_F_NODAD = 0x02;
    private static final int IFA_F_TENTATIVE = 0x40;

    private ThrowawayNamespace ns;
    private AddressOps addresses;
    private int linkIndex;

    @BeforeEach
    void createNamespaceWithAnUpVethPair() {
        ns = ThrowawayNamespace.create("addr");
        LinkOps links = ns.handle().links();
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        // Both ends up (carrier on): DAD would run, so a tentative address is possible at all.
        links.setUp("nktv0");
        links.setUp("nktv1");
        addresses = ns.handle().addresses();
        linkIndex = links.get("nktv0").orElseThrow().index();
    }

    @AfterEach
    void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void addListDeleteIpv4() {
        addresses.add("nktv0", IpPrefix.parse("10.66.0.2/24"));
        addresses.add("nktv0", IpPrefix.parse("10.67.5.9/16"));

        assertEquals(List.of("10.66.0.2/24", "10.67.5.9/16"), v4(IpOracle.addressesOf(ns.name(), "nktv0")));
        JsonNode info = IpOracle.addressInfo(ns.name(), "nktv0", "10.66.0.2");
        assertEquals("global", info.path("scope").asText());
        List<Address> ours = addresses.list("nktv0").stream().filter(a -> a.prefix().family() == 2).toList();
        assertEquals(List.of("10.66.0.2/24", "10.67.5.9/16"), ours.stream().map(a -> a.prefix().toString()).toList());
        ours.forEach(a -> {
            assertEquals(linkIndex, a.linkIndex());
            assertEquals(0, a.scope(), "RT_SCOPE_UNIVERSE");
        });
        assertTrue(IpOracle.addressesOf(ns.name(), "nktv1").stream().noneMatch(a -> a.startsWith("10.")),
                "nothing on the peer");

        addresses.delete("nktv0", IpPrefix.parse("10.66.0.2/24"));

        assertEquals(List.of("10.67.5.9/16"), v4(IpOracle.addressesOf(ns.name(), "nktv0")));
        assertEquals(List.of("10.67.5.9/16"), addresses.list("nktv0").stream()
                .filter(a -> a.prefix().family() == 2).map(a -> a.prefix().toString()).toList());
    }

    @Test
    void addListDeleteIpv6WithoutDad() {
        addresses.add("nktv0", IpPrefix.parse("fd66::2/64"));
        addresses.add("nktv0", IpPrefix.parse("fd66:1::5/48"));

        List<String> theirs = IpOracle.addressesOf(ns.name(), "nktv0");
        assertTrue(theirs.contains("fd66::2/64"), theirs.toString());
        assertTrue(theirs.contains("fd66:1::5/48"), theirs.toString());
        JsonNode info = IpOracle.addressInfo(ns.name(), "nktv0", "fd66::2");
        assertTrue(info.path("nodad").asBoolean(), "iproute2 sees nodad: " + info);
        assertFalse(info.has("tentative"), "not tentative: " + info);

        Address ours = find("fd66::2/64");
        assertEquals(linkIndex, ours.linkIndex());
        assertEquals(IFA_F_NODAD, ours.flags() & IFA_F_NODAD, "flags " + Integer.toHexString(ours.flags()));
        assertEquals(0, ours.flags() & IFA_F_TENTATIVE, "flags " + Integer.toHexString(ours.flags()));
        assertEquals(48, find("fd66:1::5/48").prefix().length());

        addresses.delete("nktv0", IpPrefix.parse("fd66::2/64"));

        theirs = IpOracle.addressesOf(ns.name(), "nktv0");
        assertFalse(theirs.contains("fd66::2/64"), theirs.toString());
        assertTrue(theirs.contains("fd66:1::5/48"), theirs.toString());
        assertTrue(addresses.list("nktv0").stream().noneMatch(a -> a.prefix().toString().equals("fd66::2/64")));
    }

    /** The control for the test above: without IFA_F_NODAD the same kind of address IS tentative. */
    @Test
    void anAddressAddedWithDadIsTentativeAndOurDecoderSaysSo() {
        IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "addr", "add", "fd66::9/64", "dev", "nktv0");
        assertEquals(0, r.exitCode(), r.stderr());

        JsonNode info = IpOracle.addressInfo(ns.name(), "nktv0", "fd66::9");
        assertTrue(info.path("tentative").asBoolean(), info.toString());
        Address ours = find("fd66::9/64");
        assertEquals(IFA_F_TENTATIVE, ours.flags() & IFA_F_TENTATIVE, "flags " + Integer.toHexString(ours.flags()));
        assertEquals(0, ours.flags() & IFA_F_NODAD);
    }

    @Test
    void listOfTheWholeNamespaceMatchesIproute2() {
        ns.handle().links().setUp("lo");
        addresses.add("nktv0", IpPrefix.parse("10.66.0.2/24"));
        addresses.add("nktv1", IpPrefix.parse("10.66.0.3/24"));
        addresses.add("nktv1", IpPrefix.parse("fd66::3/64"));

        List<String> ours = addresses.list().stream()
                .map(a -> ns.handle().links().get(a.linkIndex()).orElseThrow().name() + " "
                        + IpPrefix.literal(a.prefix().address().getHostAddress()).getHostAddress() + "/" + a.prefix().length())
                .filter(AddressOpsTest::notLinkLocal).sorted().toList();
        List<String> theirs = new java.util.ArrayList<>();
        for (JsonNode l : IpOracle.addresses(ns.name())) {
            for (JsonNode a : l.path("addr_info")) {
                theirs.add(l.path("ifname").asText() + " "
                        + IpPrefix.literal(a.path("local").asText()).getHostAddress() + "/" + a.path("prefixlen").asInt());
            }
        }
        // fe80:: addresses come and go with carrier (linkwatch, asynchronous): compared without them.
        assertEquals(theirs.stream().filter(AddressOpsTest::notLinkLocal).sorted().toList(), ours);
        assertTrue(ours.contains("lo 127.0.0.1/8"), ours.toString());
        assertTrue(ours.contains("nktv1 10.66.0.3/24"), ours.toString());
    }

    private Address find(String prefix) {
        Optional<Address> a = addresses.list("nktv0").stream().filter(x -> x.prefix().toString().equals(prefix)).findFirst();
        assertTrue(a.isPresent(), prefix + " in " + addresses.list("nktv0"));
        assertNotNull(a.get());
        return a.get();
    }

    private static boolean notLinkLocal(String entry) {
        return !entry.contains(" fe80:");
    }

    private static List<String> v4(List<String> all) {
        return all.stream().filter(a -> !a.contains(":")).toList();
    }
}
