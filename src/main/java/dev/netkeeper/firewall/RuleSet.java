package dev.netkeeper.firewall;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * netkeeper's one table, {@code inet netkeeper}, written in nft's language. Its chains are fixed; everything
 * that varies (bridges, subnets, published ports) is an element of a named set or map, so the rule count and
 * a packet's path do not grow with the ports published (one map lookup per packet whatever their number), and
 * a change is an element diff, not a rewrite. Pure: it only makes text.
 *
 * <p>Chains, by hook: {@code prerouting} and {@code output} (nat) send traffic to a local address to
 * {@code publish}, which DNATs by (address,) protocol and port; {@code postrouting} masquerades a network's
 * traffic leaving by a non-bridge interface for an address outside every network (never bridged traffic: with
 * br_netfilter a frame between two of a network's bridges meets this chain too, by a bridge not in the set), and hairpinned traffic (a container to a published port, landing
 * on a bridge again) so that the answer comes back the same way; {@code forward} drops what enters or leaves an
 * internal network, keeps answers, lets published traffic in, keeps traffic within a network, drops traffic
 * between two networks unless both are open, lets the networks out, and drops anything else that would enter a bridge unasked;
 * {@code input} keeps each network's resolver (port 53 on its gateway) to the network's own subnets.
 */
public final class RuleSet {
    public static final String FAMILY = "inet";
    public static final String TABLE = "netkeeper";
    public static final String QUALIFIED = FAMILY + " " + TABLE;
    /** The table's comment: its mark, so that an operator (and the agent) tells it from anyone else's. */
    public static final String MARK = "netkeeper: made by the netkeeper agent from its journal; changes are undone";

    private RuleSet() {}

    /** Set name -> declaration (type and flags): the table's variable part. */
    static final Map<String, String> SETS = sets();

    private static Map<String, String> sets() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("bridges", "type ifname;");
        s.put("open_bridges", "type ifname;");
        s.put("internal", "type ifname;");
        s.put("intra", "type ifname . ifname;");
        s.put("subnets4", "type ipv4_addr; flags interval;");
        s.put("subnets6", "type ipv6_addr; flags interval;");
        s.put("masq4", "type ipv4_addr; flags interval;");
        s.put("masq6", "type ipv6_addr; flags interval;");
        s.put("dnat4", "type inet_proto . inet_service : ipv4_addr . inet_service;");
        s.put("dnat4_at", "type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service;");
        s.put("dnat6", "type inet_proto . inet_service : ipv6_addr . inet_service;");
        s.put("dnat6_at", "type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service;");
        s.put("dns4", "type ipv4_addr;");
        s.put("dns6", "type ipv6_addr;");
        s.put("dns4_clients", "type ipv4_addr . ipv4_addr; flags interval;");
        s.put("dns6_clients", "type ipv6_addr . ipv6_addr; flags interval;");
        return Map.copyOf(s);
    }

    private static final List<String> SET_ORDER = List.of("bridges", "open_bridges", "internal", "intra", "subnets4",
            "subnets6", "masq4", "masq6", "dnat4", "dnat4_at", "dnat6", "dnat6_at", "dns4", "dns6", "dns4_clients", "dns6_clients");

    private static final String CHAINS = """
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                fib daddr type local jump publish
              }
              chain output {
                type nat hook output priority -100; policy accept;
                fib daddr type local jump publish
              }
              chain publish {
                dnat ip to ip daddr . meta l4proto . th dport map @dnat4_at
                dnat ip to meta l4proto . th dport map @dnat4
                dnat ip6 to ip6 daddr . meta l4proto . th dport map @dnat6_at
                dnat ip6 to meta l4proto . th dport map @dnat6
              }
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                ct status dnat ip saddr @subnets4 oifname @bridges masquerade
                ct status dnat ip6 saddr @subnets6 oifname @bridges masquerade
                ip saddr @masq4 ip daddr != @subnets4 oifname != @bridges masquerade
                ip6 saddr @masq6 ip6 daddr != @subnets6 oifname != @bridges masquerade
              }
              chain forward {
                type filter hook forward priority filter; policy accept;
                iifname @internal drop
                oifname @internal drop
                ct state established,related accept
                ct status dnat oifname @bridges accept
                iifname . oifname @intra accept
                iifname @open_bridges oifname @open_bridges accept
                iifname @bridges oifname @bridges drop
                iifname @bridges accept
                oifname @bridges drop
              }
              chain input {
                type filter hook input priority filter; policy accept;
                iifname "lo" accept
                meta l4proto { tcp, udp } th dport 53 ip daddr @dns4 ip saddr . ip daddr @dns4_clients accept
                meta l4proto { tcp, udp } th dport 53 ip daddr @dns4 drop
                meta l4proto { tcp, udp } th dport 53 ip6 daddr @dns6 ip6 saddr . ip6 daddr @dns6_clients accept
                meta l4proto { tcp, udp } th dport 53 ip6 daddr @dns6 drop
              }
            """;

    /** One element: its key, and for a map the value it maps to (null for a set). */
    record Element(String key, String value) implements Comparable<Element> {
        String text() {
            return value == null ? key : key + " : " + value;
        }

        @Override
        public int compareTo(Element o) {
            return text().compareTo(o.text());
        }
    }

    /** The elements of every set, as {@code state} says. */
    static Map<String, Set<Element>> elements(FirewallState state) {
        Map<String, Set<Element>> out = networkElements(state);
        state.forwards().values().forEach(byEndpoint -> byEndpoint.values().forEach(list -> addForwards(out, list)));
        return out;
    }

    /** The sets that come from the networks' rules (their number, not their ports'). */
    private static Map<String, Set<Element>> networkElements(FirewallState state) {
        Map<String, Set<Element>> out = new LinkedHashMap<>();
        SET_ORDER.forEach(s -> out.put(s, new TreeSet<>()));
        for (NetworkRules n : state.networks().values()) {
            out.get("bridges").add(new Element(quoted(n.bridge()), null));
            // within one bridge: bridged traffic meets this chain too when br_netfilter hands it to netfilter
            out.get("intra").add(new Element(quoted(n.bridge()) + " . " + quoted(n.bridge()), null));
            if (!n.isolated()) {
                out.get("open_bridges").add(new Element(quoted(n.bridge()), null));
            }
            if (n.internal()) {
                out.get("internal").add(new Element(quoted(n.bridge()), null));
            }
            n.subnets4().forEach(s -> out.get("subnets4").add(new Element(s, null)));
            n.subnets6().forEach(s -> out.get("subnets6").add(new Element(s, null)));
            if (n.masquerade4() && !n.internal()) {
                n.subnets4().forEach(s -> out.get("masq4").add(new Element(s, null)));
            }
            if (n.masquerade6() && !n.internal()) {
                n.subnets6().forEach(s -> out.get("masq6").add(new Element(s, null)));
            }
            for (String resolver : n.resolvers()) {
                boolean v6 = resolver.contains(":");
                out.get(v6 ? "dns6" : "dns4").add(new Element(resolver, null));
                (v6 ? n.subnets6() : n.subnets4()).forEach(s ->
                        out.get(v6 ? "dns6_clients" : "dns4_clients").add(new Element(s + " . " + resolver, null)));
            }
        }
        return out;
    }

    private static void addForwards(Map<String, Set<Element>> out, List<Forward> forwards) {
        for (Forward f : forwards) {
            String map = (f.ipv6() ? "dnat6" : "dnat4") + (f.hostIp() == null ? "" : "_at");
            String key = (f.hostIp() == null ? "" : f.hostIp() + " . ") + f.protocol() + " . " + f.hostPort();
            out.get(map).add(new Element(key, f.containerIp() + " . " + f.containerPort()));
        }
    }

    /**
     * The whole table, replacing whatever is there in the same transaction (the first two commands make sure
     * there is one to delete), so that nobody ever sees it half made, empty or doubled.
     */
    public static String replace(FirewallState state) {
        StringBuilder b = new StringBuilder();
        b.append("add table ").append(QUALIFIED).append('\n');
        b.append("delete table ").append(QUALIFIED).append('\n');
        b.append("table ").append(QUALIFIED).append(" {\n");
        b.append("  comment \"").append(MARK).append("\"\n");
        elements(state).forEach((set, elems) -> {
            b.append("  ").append(set.startsWith("dnat") ? "map " : "set ").append(set).append(" { ")
                    .append(SETS.get(set));
            if (!elems.isEmpty()) {
                b.append(" elements = { ").append(join(elems, false)).append(" }");
            }
            b.append(" }\n");
        });
        b.append(CHAINS);
        b.append("}\n");
        return b.toString();
    }

    /** The element changes that turn {@code from} into {@code to}, as one transaction; empty when none. */
    public static String diff(FirewallState from, FirewallState to) {
        Map<String, Set<Element>> a = networkElements(from);
        Map<String, Set<Element>> z = networkElements(to);
        // a change touches a few endpoints: only theirs are compared element by element, whatever the ports published
        java.util.Set<String> networks = new java.util.HashSet<>(from.forwards().keySet());
        networks.addAll(to.forwards().keySet());
        for (String net : networks) {
            Map<String, List<Forward>> was = from.forwards().getOrDefault(net, Map.of());
            Map<String, List<Forward>> now = to.forwards().getOrDefault(net, Map.of());
            if (was.equals(now)) {
                continue;
            }
            java.util.Set<String> endpoints = new java.util.HashSet<>(was.keySet());
            endpoints.addAll(now.keySet());
            for (String ep : endpoints) {
                List<Forward> before = was.getOrDefault(ep, List.of());
                List<Forward> after = now.getOrDefault(ep, List.of());
                if (!before.equals(after)) {
                    addForwards(a, before);
                    addForwards(z, after);
                }
            }
        }
        StringBuilder deletes = new StringBuilder();
        StringBuilder adds = new StringBuilder();
        for (String set : SET_ORDER) {
            Set<Element> gone = new TreeSet<>(a.get(set));
            gone.removeAll(z.get(set));
            Set<Element> added = new TreeSet<>(z.get(set));
            added.removeAll(a.get(set));
            if (!gone.isEmpty()) {
                deletes.append("delete element ").append(QUALIFIED).append(' ').append(set)
                        .append(" { ").append(join(gone, true)).append(" }\n");
            }
            if (!added.isEmpty()) {
                adds.append("add element ").append(QUALIFIED).append(' ').append(set)
                        .append(" { ").append(join(added, false)).append(" }\n");
            }
        }
        return deletes.append(adds).toString();
    }

    /** Adds what {@code state} holds to an existing table, removing nothing (before the host has settled). */
    public static String addAll(FirewallState state) {
        return diff(FirewallState.EMPTY, state);
    }

    private static String join(Set<Element> elems, boolean keysOnly) {
        List<String> parts = new ArrayList<>();
        elems.forEach(e -> parts.add(keysOnly ? e.key() : e.text()));
        return String.join(", ", parts);
    }

    private static String quoted(String ifname) {
        return "\"" + ifname + "\"";
    }
}
