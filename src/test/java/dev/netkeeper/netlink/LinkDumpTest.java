package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large dumps: 300 veth pairs (601 links with lo) in one namespace. A link dump of that size spans
 * many datagrams (NLM_F_MULTI parts), so this exercises multi-part dumps and the receive buffer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkDumpTest {
    private static final int PAIRS = 300;

    private ThrowawayNamespace ns;

    @BeforeAll
    void createManyVethPairs() {
        ns = ThrowawayNamespace.create("dump");
        try {
            LinkOps links = ns.handle().links();
            for (int i = 0; i < PAIRS; i++) {
                links.addVeth(name(i, 'a'), name(i, 'b'), 0, Optional.empty());
            }
        } catch (RuntimeException | Error e) {
            ns.close();
            throw e;
        }
    }

    @AfterAll
    void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void listReturnsEveryLinkLikeIproute2() {
        List<Link> ours = ns.handle().links().list();
        JsonNode theirs = IpOracle.links(ns.name());

        assertEquals(2 * PAIRS + 1, theirs.size(), "iproute2 link count");
        assertEquals(theirs.size(), ours.size(), "our dump link count");

        Set<String> names = new HashSet<>();
        Map<Integer, Link> byIndex = new HashMap<>();
        for (Link l : ours) {
            assertTrue(names.add(l.name()), "duplicate " + l.name());
            byIndex.put(l.index(), l);
        }
        for (int i = 0; i < PAIRS; i++) {
            assertTrue(names.contains(name(i, 'a')), name(i, 'a'));
            assertTrue(names.contains(name(i, 'b')), name(i, 'b'));
        }
        for (JsonNode o : theirs) {
            Link l = byIndex.get(o.path("ifindex").asInt());
            assertNotNull(l, "ifindex " + o.path("ifindex") + " missing from our dump");
            assertEquals(o.path("ifname").asText(), l.name());
            assertEquals(o.path("address").asText(), l.mac().map(MacAddress::toString).orElse(""));
            if (!"lo".equals(l.name())) {
                assertEquals("veth", l.kind(), l.name());
                Link peer = byIndex.get(l.peerIndex());
                assertNotNull(peer, "peer of " + l.name());
                assertEquals(o.path("link").asText(), peer.name());
                assertEquals(l.index(), peer.peerIndex());
            }
        }
    }

    @Test
    void addressDumpOfOneAddressPerLink() {
        AddressOps addresses = ns.handle().addresses();
        for (int i = 0; i < PAIRS; i++) {
            addresses.add(name(i, 'a'), IpPrefix.parse("10.200." + (i / 250) + "." + (i % 250 + 1) + "/32"));
        }

        List<Address> ours = addresses.list().stream().filter(a -> a.prefix().family() == 2).toList();
        int theirs = 0;
        for (JsonNode l : IpOracle.addresses(ns.name())) {
            for (JsonNode a : l.path("addr_info")) {
                if ("inet".equals(a.path("family").asText())) {
                    theirs++;
                }
            }
        }
        assertEquals(PAIRS, theirs, "iproute2 IPv4 address count");
        assertEquals(theirs, ours.size(), "our IPv4 address count");
        assertEquals(List.of("10.200.1.50/32"), IpOracle.addressesOf(ns.name(), name(299, 'a')));
        assertEquals(List.of("10.200.1.50/32"), addresses.list(name(299, 'a')).stream()
                .map(a -> a.prefix().toString()).toList());
    }

    private static String name(int i, char end) {
        return String.format("nktd%03d%c", i, end);
    }
}
