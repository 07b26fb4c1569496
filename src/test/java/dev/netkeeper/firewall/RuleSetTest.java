package dev.netkeeper.firewall;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The table as text: what a state puts in it, and that a change is an element diff of exactly the change. */
class RuleSetTest {
    static final NetworkRules PUB = new NetworkRules("pub", "nk-pub", List.of("10.1.0.0/24"), List.of("fd01::/64"),
            true, false, false, true);
    static final NetworkRules INTERNAL = new NetworkRules("int", "nk-int", List.of("10.2.0.0/24"), List.of(),
            true, true, true, false);
    static final Forward WEB = new Forward("tcp", null, 8080, "10.1.0.2", 80);
    static final Forward DNS6 = new Forward("udp", "fd00::1", 53, "fd01::2", 5353);

    @Test
    void aStateBecomesElementsOfTheFixedSets() {
        FirewallState state = FirewallState.EMPTY.withNetwork(PUB, Map.of("web", List.of(WEB, DNS6)))
                .withNetwork(INTERNAL, Map.of());
        Map<String, java.util.Set<RuleSet.Element>> e = RuleSet.elements(state);
        assertEquals(els("\"nk-int\"", "\"nk-pub\""), e.get("bridges"));
        assertEquals(els("\"nk-int\""), e.get("internal"));
        assertEquals(els("\"nk-int\""), e.get("open_bridges"), "only the network that is not isolated");
        assertEquals(els("10.1.0.0/24"), e.get("masq4"), "an internal network is never masqueraded");
        assertEquals(els(), e.get("masq6"), "IPv6 only when the network asks");
        assertEquals(els("10.1.0.0/24", "10.2.0.0/24"), e.get("subnets4"));
        assertEquals(List.of("tcp . 8080 : 10.1.0.2 . 80"), e.get("dnat4").stream().map(RuleSet.Element::text).toList());
        assertEquals(List.of("fd00::1 . udp . 53 : fd01::2 . 5353"),
                e.get("dnat6_at").stream().map(RuleSet.Element::text).toList());
    }

    @Test
    void aResolverIsOpenOnItsGatewayToItsOwnSubnetsOnly() {
        NetworkRules named = new NetworkRules("named", "nk-named", List.of("10.3.0.0/24"), List.of("fd03::/64"), true,
                false, false, true, List.of("10.3.0.1", "fd03::1"));
        Map<String, java.util.Set<RuleSet.Element>> e = RuleSet.elements(FirewallState.EMPTY.withNetwork(named, Map.of())
                .withNetwork(PUB, Map.of()));
        assertEquals(els("10.3.0.1"), e.get("dns4"), "a network without resolvers opens nothing");
        assertEquals(els("fd03::1"), e.get("dns6"));
        assertEquals(els("10.3.0.0/24 . 10.3.0.1"), e.get("dns4_clients"));
        assertEquals(els("fd03::/64 . fd03::1"), e.get("dns6_clients"));
        String table = RuleSet.replace(FirewallState.EMPTY.withNetwork(named, Map.of()));
        assertTrue(table.contains("th dport 53 ip daddr @dns4 ip saddr . ip daddr @dns4_clients accept\n")
                && table.contains("th dport 53 ip daddr @dns4 drop\n"), table);
    }

    @Test
    void aChangeIsADiffOfOnlyWhatChanged() {
        FirewallState before = FirewallState.EMPTY.withNetwork(PUB, Map.of("web", List.of(WEB)));
        FirewallState after = before.withForwards("pub", "web", List.of(new Forward("tcp", null, 9090, "10.1.0.2", 80)));
        assertEquals("delete element inet netkeeper dnat4 { tcp . 8080 }\n"
                + "add element inet netkeeper dnat4 { tcp . 9090 : 10.1.0.2 . 80 }\n", RuleSet.diff(before, after));
        assertEquals("", RuleSet.diff(after, after));
        assertTrue(RuleSet.diff(after, after.without("pub")).contains("delete element inet netkeeper bridges { \"nk-pub\" }"));
    }

    @Test
    void aReplaceIsOneTransactionThatNeverFailsOnAMissingTable() {
        String text = RuleSet.replace(FirewallState.EMPTY.withNetwork(PUB, Map.of()));
        assertTrue(text.startsWith("add table inet netkeeper\ndelete table inet netkeeper\ntable inet netkeeper {\n"), text);
        assertTrue(text.contains("comment \"" + RuleSet.MARK + "\""), "marked as ours");
        assertEquals(1, text.split("hook forward").length - 1, "one forward chain, whatever the ports");
        String many = RuleSet.replace(FirewallState.EMPTY.withNetwork(PUB, Map.of("web", java.util.stream.IntStream
                .range(0, 1000).mapToObj(p -> new Forward("tcp", null, 10000 + p, "10.1.0.2", 80)).toList())));
        assertEquals(text.substring(text.indexOf("chain ")), many.substring(many.indexOf("chain ")),
                "1,000 ports add no rule: the chains are the same text");
    }

    private static java.util.Set<RuleSet.Element> els(String... keys) {
        java.util.Set<RuleSet.Element> out = new java.util.TreeSet<>();
        for (String k : keys) {
            out.add(new RuleSet.Element(k, null));
        }
        return out;
    }
}
