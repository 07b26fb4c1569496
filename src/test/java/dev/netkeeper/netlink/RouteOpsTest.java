package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RouteOps against the kernel, cross-checked with {@code ip -j route}. */
class RouteOpsTest {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final InetAddress GW4 = IpPrefix.literal("10.55.0.1");
    private static final InetAddress GW6 = IpPrefix.literal("fd55::1");

    private ThrowawayNamespace ns;
    private RouteOps routes;
    private int index;

    @BeforeEach
    void createNamespaceWithAddressedLink() {
        ns = ThrowawayNamespace.create("route");
        LinkOps links = ns.handle().links();
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        links.setUp("nktv0");
        links.setUp("nktv1");
        ns.handle().addresses().add("nktv0", IpPrefix.parse("10.55.0.2/24"));
        ns.handle().addresses().add("nktv0", IpPrefix.parse("fd55::2/64"));
        routes = ns.handle().routes();
        index = links.get("nktv0").orElseThrow().index();
    }

    @AfterEach
    void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void defaultRouteIpv4() {
        assertFalse(oracle(false).contains("default via 10.55.0.1 dev nktv0"));

        routes.addDefault(GW4, "nktv0");

        assertTrue(oracle(false).contains("default via 10.55.0.1 dev nktv0"), oracle(false).toString());
        assertTrue(routes.list(AF_INET).contains(new Route(AF_INET, Optional.empty(), Optional.of(GW4), index)),
                routes.list(AF_INET).toString());

        routes.delete(Route.defaultVia(GW4));

        assertEquals(List.of("10.55.0.0/24 dev nktv0"), oracle(false));
        assertTrue(routes.list(AF_INET).stream().noneMatch(Route::isDefault));
    }

    @Test
    void defaultRouteIpv6() {
        routes.addDefault(GW6, "nktv0");

        assertTrue(oracle(true).contains("default via fd55::1 dev nktv0"), oracle(true).toString());
        assertTrue(routes.list(AF_INET6).contains(new Route(AF_INET6, Optional.empty(), Optional.of(GW6), index)),
                routes.list(AF_INET6).toString());

        routes.delete(Route.defaultVia(GW6));

        assertTrue(oracle(true).stream().noneMatch(r -> r.startsWith("default")), oracle(true).toString());
        assertTrue(routes.list(AF_INET6).stream().noneMatch(Route::isDefault));
    }

    @Test
    void subnetViaGateway() {
        Route v4 = new Route(AF_INET, Optional.of(IpPrefix.parse("10.99.0.0/16")), Optional.of(GW4), 0);
        Route v6 = new Route(AF_INET6, Optional.of(IpPrefix.parse("fd99::/48")), Optional.of(GW6), 0);

        routes.add(v4);
        routes.add(v6);

        assertTrue(oracle(false).contains("10.99.0.0/16 via 10.55.0.1 dev nktv0"), oracle(false).toString());
        assertTrue(oracle(true).contains("fd99::/48 via fd55::1 dev nktv0"), oracle(true).toString());
        assertTrue(routes.list(AF_INET).contains(new Route(AF_INET, v4.destination(), v4.gateway(), index)));
        assertTrue(routes.list(AF_INET6).contains(new Route(AF_INET6, v6.destination(), v6.gateway(), index)));

        routes.delete(v4);
        routes.delete(v6);

        assertFalse(oracle(false).stream().anyMatch(r -> r.startsWith("10.99.")), oracle(false).toString());
        assertFalse(oracle(true).stream().anyMatch(r -> r.startsWith("fd99:")), oracle(true).toString());
    }

    /** Our list of the main table is exactly iproute2's, both families (connected routes included). */
    @Test
    void listMatchesIproute2() {
        routes.addDefault(GW4, "nktv0");
        routes.addDefault(GW6, "nktv0");
        routes.add(new Route(AF_INET, Optional.of(IpPrefix.parse("10.98.0.0/24")), Optional.of(GW4), index));

        for (boolean v6 : new boolean[] {false, true}) {
            List<String> ours = new ArrayList<>();
            for (Route r : routes.list(v6 ? AF_INET6 : AF_INET)) {
                String dev = ns.handle().links().get(r.linkIndex()).orElseThrow().name();
                ours.add(r.destination().map(IpPrefix::toString).orElse("default")
                        + r.gateway().map(g -> " via " + IpPrefix.format(g)).orElse("") + " dev " + dev);
            }
            // Both sides spell IPv6 the RFC 5952 way ("fd55::/64").
            // fe80::/64 routes follow carrier (linkwatch, asynchronous): compared without them.
            List<String> theirs = oracle(v6).stream().filter(r -> !r.startsWith("fe80:")).toList();
            assertEquals(theirs.stream().sorted().toList(),
                    ours.stream().filter(r -> !r.startsWith("fe80:")).sorted().toList(), v6 ? "IPv6" : "IPv4");
        }
        assertTrue(oracle(false).contains("10.98.0.0/24 via 10.55.0.1 dev nktv0"));
        assertTrue(oracle(true).contains("fd55::/64 dev nktv0"));
    }

    @Test
    void addingTheSameRouteTwiceIsEexist() {
        routes.addDefault(GW4, "nktv0");

        KernelException e = org.junit.jupiter.api.Assertions.assertThrows(KernelException.class,
                () -> routes.addDefault(GW4, "nktv0"));

        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("adding default route via 10.55.0.1 dev nktv0", e.operation());
    }

    /**
     * A route someone else installed (iproute2 with "proto static", as most tools do) must be deletable
     * by destination and gateway, like {@code ip route del} does it. Fails: RouteOps.delete sends
     * rtm_protocol=RTPROT_BOOT and the kernel only matches routes of that protocol (ESRCH).
     */
    @Test
    void deletesARouteInstalledWithAnotherProtocol() {
        IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "route", "add", "10.97.0.0/16", "via", "10.55.0.1",
                "proto", "static");
        assertEquals(0, r.exitCode(), r.stderr());

        routes.delete(new Route(AF_INET, Optional.of(IpPrefix.parse("10.97.0.0/16")), Optional.of(GW4), 0));

        assertFalse(oracle(false).stream().anyMatch(x -> x.startsWith("10.97.")), oracle(false).toString());
    }


    /** "DST [via GW] dev DEV" for every route iproute2 shows in the main table. */
    private List<String> oracle(boolean v6) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : IpOracle.routes(ns.name(), v6)) {
            out.add(r.path("dst").asText()
                    + (r.has("gateway") ? " via " + r.path("gateway").asText() : "")
                    + " dev " + r.path("dev").asText());
        }
        return out;
    }
}
