package dev.netkeeper.firewall;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.NetNamespace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host's netkeeper table and the port claims made against it, owned by the netlink actor (one thread).
 *
 * <p>The table is a function of the journal: each network hands in its share (a converge: its rules and all of
 * its forwards on this host) or a change of one endpoint's forwards, and the table is made to match the sum. Until
 * the host has <em>settled</em> (every network has converged it since the agent started) nothing is removed, so a
 * restart does not cut published ports of networks that have not spoken yet; settling replaces the whole table in
 * one transaction. After that a change is an element diff, and a table someone changed (its rules, sets, or the
 * number of elements of a set) is replaced whole again ({@link #check}).
 */
public final class HostFirewall implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostFirewall.class);
    /**
     * How long a claim holds its ports for the network to journal them; a claim whose write failed (or whose link
     * found the endpoint linked meanwhile) frees its ports when this runs out.
     */
    static final long CLAIM_NANOS = 60_000_000_000L;

    private final Nft nft;
    private final HostPorts hostPorts;
    private final PortRange range;
    private final Conntrack conntrack;
    private FirewallState state = FirewallState.EMPTY;
    private boolean settled;
    /** The table's skeleton as listed right after our last replace: what {@link #check} expects to find. */
    private String skeleton;
    private final Map<ClaimKey, Claim> claims = new HashMap<>();
    private Map<String, List<FirewallState.Holder>> portIndex;
    private FirewallState portIndexOf;

    private record ClaimKey(String protocol, String hostIp, int port) {}

    private record Claim(String network, String endpoint, long until) {}

    private final Handle hostHandle;

    /** {@code hostHandle}: the host's netlink handle, for the forwarding sysctls. */
    /** Whether the agent lets its bridges through another table's dropping forward chain itself (opt-in). */
    private final boolean acceptInForeign;
    /** The foreign chains that drop netkeeper's forwarded traffic, as last looked at. */
    private List<ForeignChains.Drop> foreignDrops = List.of();
    /** Foreign chains where this agent added its accept rules (removed again on close). */
    private final java.util.Set<ForeignChains.Drop> acceptedIn = new java.util.HashSet<>();

    public HostFirewall(Optional<NetNamespace> host, Handle hostHandle, PortRange range, boolean acceptInForeign) {
        this.acceptInForeign = acceptInForeign;
        this.hostHandle = hostHandle;
        this.nft = Nft.open(host);
        this.hostPorts = new HostPorts(host);
        this.range = range;
        this.conntrack = new Conntrack(host);
    }

    public FirewallState state() {
        return state;
    }

    public boolean settled() {
        return settled;
    }

    /** A network's whole share: its rules and exactly these forwards, by endpoint. */
    public void converge(NetworkRules rules, Map<String, List<Forward>> forwards) {
        change(state.withNetwork(rules, forwards));
    }

    public void forwards(String network, String endpoint, List<Forward> forwards) {
        if (!state.networks().containsKey(network) && forwards.isEmpty()) {
            return;
        }
        change(state.withForwards(network, endpoint, forwards));
    }

    public void remove(String network) {
        change(state.without(network));
    }

    /** Every network has spoken: the table becomes exactly what they said, in one transaction. */
    public void settle() {
        settled = true;
        replace();
        lookAtForeignChains();
        LOG.info("firewall table {} settled: {} network(s), {} published port(s)", RuleSet.QUALIFIED,
                state.networks().size(), state.forwardCount());
    }

    /** Replaces the table if it is not as we left it (flushed, deleted, edited); true when it had to. */
    public boolean check() {
        if (!settled) {
            return false;
        }
        lookAtForeignChains();
        TableListing now = TableListing.of(list());
        Map<String, Integer> expected = new HashMap<>();
        RuleSet.elements(state).forEach((set, elements) -> expected.put(set, elements.size()));
        if (now.skeleton().equals(skeleton) && now.counts().equals(expected)) {
            return false;
        }
        LOG.warn("firewall table {} was changed by someone else: replaced from the journal", RuleSet.QUALIFIED);
        replace();
        return true;
    }

    /**
     * What is wrong around the table that the agent cannot fix alone: each foreign chain that drops netkeeper's
     * forwarded traffic, with the rules that let it through. Empty when nothing is.
     */
    public List<String> warnings() {
        return foreignDrops.stream().filter(d -> !acceptedIn.contains(d)).map(ForeignChains.Drop::report).toList();
    }

    /** Finds foreign dropping forward chains; with the opt-in, lets netkeeper's bridges through each (once). */
    private void lookAtForeignChains() {
        List<ForeignChains.Drop> now = ForeignChains.in(nft.runJson("list chains"));
        if (!now.equals(foreignDrops)) {
            now.stream().filter(d -> !foreignDrops.contains(d)).forEach(d -> LOG.warn("{}", acceptInForeign
                    ? "chain " + d.qualified() + " (policy drop, hook forward) would drop what netkeeper forwards: "
                    + "netkeeper adds its accept rules there (netkeeper.firewall.accept-in-foreign-forward)" : d.report()));
        }
        foreignDrops = now;
        acceptedIn.retainAll(now);
        if (!acceptInForeign) {
            return;
        }
        for (ForeignChains.Drop d : now) {
            if (ForeignChains.ourRules(nft.runJson("list chain " + d.qualified())).isEmpty()) {
                nft.run(String.join("\n", d.acceptRules()));
            }
            acceptedIn.add(d);
        }
    }

    /** Takes netkeeper's accept rules out of the foreign chains again (shutdown): nothing of theirs is left changed. */
    private void removeForeignAccepts() {
        for (ForeignChains.Drop d : acceptedIn) {
            try {
                for (long handle : ForeignChains.ourRules(nft.runJson("list chain " + d.qualified()))) {
                    nft.run("delete rule " + d.qualified() + " handle " + handle);
                }
            } catch (NftException e) {
                LOG.warn("could not remove netkeeper's accept rules from chain {}: {}", d.qualified(), e.getMessage());
            }
        }
        acceptedIn.clear();
    }

    private void change(FirewallState next) {
        FirewallState before = state;
        if (!settled) {
            state = next;
            String adds = RuleSet.addAll(next);
            if (!tableExists()) {
                replace();
            } else if (!adds.isEmpty()) {
                try {
                    nft.run(adds);
                } catch (NftException e) {
                    // an element the old table holds with other data (it changed while we were down): start over
                    LOG.info("firewall table {} differs from the journal before settling ({}): replaced",
                            RuleSet.QUALIFIED, e.getMessage());
                    replace();
                }
            }
        } else {
            String diff = RuleSet.diff(before, next);
            state = next;
            if (!diff.isEmpty()) {
                try {
                    nft.run(diff); // no listing here: the check compares counts, so a change costs its elements only
                } catch (NftException e) {
                    LOG.warn("firewall table {} did not take a change ({}): replaced from the journal",
                            RuleSet.QUALIFIED, e.getMessage());
                    replace();
                }
            }
        }
        forgetConnections(before, next);
        forwarding(next);
        settleClaims(next);
    }

    /** A claim whose port the journal now publishes to its endpoint has served: the forward holds the port now. */
    private void settleClaims(FirewallState next) {
        if (claims.isEmpty()) {
            return;
        }
        claims.entrySet().removeIf(e -> next.forwards().getOrDefault(e.getValue().network(), Map.of())
                .getOrDefault(e.getValue().endpoint(), List.of()).stream().anyMatch(f ->
                        f.protocol().equals(e.getKey().protocol()) && f.hostPort() == e.getKey().port()
                                && java.util.Objects.equals(f.hostIp(), e.getKey().hostIp())));
    }

    /**
     * A network that reaches the outside needs the host to route: IPv4 forwarding on (and IPv6 forwarding, for a
     * network with an IPv6 subnet), as Docker and the CNI bridge plugin set them. Never turned off again: another
     * user of the host may rely on it by then.
     */
    private void forwarding(FirewallState next) {
        boolean v4 = next.networks().values().stream().anyMatch(n -> !n.internal() && !n.subnets4().isEmpty());
        boolean v6 = next.networks().values().stream().anyMatch(n -> !n.internal() && !n.subnets6().isEmpty());
        if (v4) {
            ensureSysctl("net/ipv4/ip_forward");
        }
        if (v6) {
            ensureSysctl("net/ipv6/conf/all/forwarding");
        }
    }

    private void ensureSysctl(String key) {
        if (!"1".equals(hostHandle.sysctl().read(key))) {
            hostHandle.sysctl().write(key, "1");
            LOG.info("set {}=1 on the host: netkeeper's networks are routed through it", key);
        }
    }

    private void replace() {
        nft.run(RuleSet.replace(state));
        skeleton = settled ? TableListing.of(list()).skeleton() : null;
    }

    private boolean tableExists() {
        return nft.run("list tables " + RuleSet.FAMILY).contains("table " + RuleSet.QUALIFIED + "\n");
    }

    private String list() {
        try {
            return nft.run("list table " + RuleSet.QUALIFIED);
        } catch (NftException gone) {
            return "";
        }
    }

    /** Connections through a forward that went away are forgotten, so that a port published again works at once. */
    private void forgetConnections(FirewallState before, FirewallState after) {
        List<Forward> gone = removed(before, after);
        if (gone.isEmpty()) {
            return;
        }
        try {
            conntrack.forget(gone);
        } catch (RuntimeException e) {
            LOG.warn("could not forget the connections of {} forward(s) ({}...): {}", gone.size(), gone.get(0), e.getMessage());
        }
    }

    /** The forwards {@code before} has and {@code after} does not (compared endpoint by endpoint where they changed). */
    private static List<Forward> removed(FirewallState before, FirewallState after) {
        List<Forward> out = new ArrayList<>();
        before.forwards().forEach((net, was) -> {
            Map<String, List<Forward>> now = after.forwards().getOrDefault(net, Map.of());
            if (!was.equals(now)) {
                was.forEach((ep, list) -> {
                    List<Forward> still = now.getOrDefault(ep, List.of());
                    list.stream().filter(f -> !still.contains(f)).forEach(out::add);
                });
            }
        });
        return out;
    }

    // ---- claims ------------------------------------------------------------------------------------

    /**
     * Takes host ports for {@code endpoint} of {@code network}: each mapping on its port, or the first free one of
     * its range (the agent's range for port 0). A port is free when no other endpoint publishes it (or has claimed
     * it and not yet journaled) with the same protocol on an overlapping host address, and no process of the host
     * is bound to it. All or none: a refusal takes nothing.
     *
     * @throws NetkeeperException PORT_IN_USE naming the port and who holds it
     */
    public List<PortMapping> claim(String network, String endpoint, List<PortMapping> wanted) {
        long now = System.nanoTime();
        claims.values().removeIf(c -> c.until() - now < 0);
        Map<String, List<FirewallState.Holder>> published = byPort();
        Map<ClaimKey, Claim> taken = new HashMap<>();
        List<PortMapping> out = new ArrayList<>();
        for (PortMapping m : wanted) {
            int from = m.hostPort() == 0 ? range.from() : m.hostPort();
            int to = m.hostPort() == 0 ? range.to() : m.hostPortEnd();
            String why = null;
            PortMapping chosen = null;
            for (int p = from; p <= to && chosen == null; p++) {
                String holder = holder(published, network, endpoint, m.protocol(), m.hostIp(), p, taken);
                if (holder == null && hostPorts.bound(m.protocol(), m.hostIp(), p)) {
                    holder = "a process on the host is bound to it";
                }
                if (holder == null) {
                    chosen = m.on(p);
                } else if (why == null) {
                    why = holder;
                }
            }
            if (chosen == null) {
                String ports = from == to ? "host port " + from : "no port of " + from + "-" + to + " is free; host port " + from;
                throw new NetkeeperException(ErrorCode.PORT_IN_USE, ports + "/" + m.protocol()
                        + (m.hostIp() == null ? "" : " on " + m.hostIp()) + " cannot be published to endpoint "
                        + endpoint + " of network " + network + ": " + why);
            }
            taken.put(new ClaimKey(chosen.protocol(), chosen.hostIp(), chosen.hostPort()),
                    new Claim(network, endpoint, now + CLAIM_NANOS));
            out.add(chosen);
        }
        claims.putAll(taken);
        return out;
    }

    /** Who holds the port against this endpoint, or null. */
    private String holder(Map<String, List<FirewallState.Holder>> published, String network, String endpoint,
                          String protocol, String hostIp, int port, Map<ClaimKey, Claim> alsoTaken) {
        for (FirewallState.Holder h : published.getOrDefault(protocol + "/" + port, List.of())) {
            Forward f = h.forward();
            if (overlap(f.hostIp(), hostIp)
                    && !(h.network().equals(network) && h.endpoint().equals(endpoint))) {
                return "published already to endpoint " + h.endpoint() + " of network " + h.network();
            }
        }
        for (Map<ClaimKey, Claim> m : List.of(claims, alsoTaken)) {
            for (Map.Entry<ClaimKey, Claim> e : m.entrySet()) {
                ClaimKey k = e.getKey();
                boolean same = e.getValue().network().equals(network) && e.getValue().endpoint().equals(endpoint);
                if (k.protocol().equals(protocol) && k.port() == port && overlap(k.hostIp(), hostIp)
                        && (!same || m == alsoTaken)) {
                    return "being published to endpoint " + e.getValue().endpoint() + " of network " + e.getValue().network();
                }
            }
        }
        return null;
    }

    /** The host's forwards by "protocol/port", with who holds them (cached until the state changes). */
    private Map<String, List<FirewallState.Holder>> byPort() {
        if (portIndex == null || portIndexOf != state) {
            Map<String, List<FirewallState.Holder>> index = new HashMap<>();
            state.forwards().forEach((net, byEndpoint) -> byEndpoint.forEach((ep, list) -> list.forEach(f ->
                    index.computeIfAbsent(f.protocol() + "/" + f.hostPort(), k -> new ArrayList<>())
                            .add(new FirewallState.Holder(net, ep, f)))));
            portIndex = index;
            portIndexOf = state;
        }
        return portIndex;
    }

    private static boolean overlap(String a, String b) {
        return a == null || b == null || a.equals(b);
    }

    @Override
    public void close() {
        removeForeignAccepts();
        nft.close();
        conntrack.close();
    }
}
