package dev.netkeeper.dns;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.LinkOptions;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.DnsProbe;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.TestUpstream;
import dev.netkeeper.testing.ThrowawayNamespace;
import dev.netkeeper.testing.Uplink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Containers find each other by name, as a user of Docker's embedded DNS expects, through a real agent (its own JVM,
 * SIGKILLed once) in throwaway namespaces: a host joined to an "outside" namespace where the test's upstream resolver
 * runs (the agent's resolv.conf names it). Two networks; alpha and beta on the first, gamma on the second, each born
 * in a namespace the agent made under /var/run/netns, so that {@code ip netns exec} picks up its resolv.conf.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NameResolutionTest {
    static final String GW1 = "10.97.0.1";
    static final String GW1_6 = "fd97::1";
    static final String GW2 = "10.98.0.1";
    static ThrowawayNamespace host;
    static ThrowawayNamespace outside;
    static Path data;
    static AgentChild agent;
    static NetkeeperClient nk;
    static TestUpstream upstream;
    static Network net1;
    static Network net2;
    static Path a;
    static Path b;
    static Path c;
    static Interface beta;
    static final List<String> paths = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        host = ThrowawayNamespace.create("dnshost");
        outside = ThrowawayNamespace.create("dnsout");
        Uplink.join(host.name(), outside.name());
        upstream = TestUpstream.start(outside.path(), Uplink.OUTSIDE, Map.of("outside.example.", "203.0.113.7"));
        data = Files.createTempDirectory("nk-dns-");
        Path resolvConf = data.resolve("host-resolv.conf");
        Files.writeString(resolvConf, "# the test host's resolvers\nsearch example.org\nnameserver " + Uplink.OUTSIDE + "\n");
        agent = new AgentChild(host.path(), data, AgentChild.freePort(), Map.of(
                "NETKEEPER_DNS_RESOLV_CONF", resolvConf.toString(), "NETKEEPER_DNS_NETNS_ETC", "/etc/netns")).start();
        nk = NetkeeperClient.connect(agent.address(), ClientSettings.defaults().withTimeout(Duration.ofSeconds(5))
                .withAttempts(10).withCredentials(agent.clientCredentials("dns-test")));
        net1 = nk.newNetwork("bridge", "dnsnet1", NetworkOptions.builder().subnet("10.97.0.0/24")
                .subnetIPv6("fd97::/64").build());
        net2 = nk.newNetwork("bridge", "dnsnet2", NetworkOptions.builder().subnet("10.98.0.0/24").build());
        a = namespace("dnsa");
        b = namespace("dnsb");
        c = namespace("dnsc");
        net1.link("alpha", LinkOptions.into(a.toString()).withAliases("www"));
        beta = net1.link("beta", LinkOptions.into(b.toString())).get(0);
        net2.link("gamma", LinkOptions.into(c.toString()));
    }

    static Path namespace(String role) {
        String p = TestAgent.namespacePath(role);
        paths.add(p);
        nk.newNetworkNamespace(p);
        return Path.of(p);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (nk != null) {
                nk.close();
            }
            if (agent != null) {
                agent.close();
            }
            if (upstream != null) {
                upstream.close();
            }
            ThrowawayNamespace.removeLeftovers(paths);
            for (String p : paths) {
                Path dir = Path.of("/etc/netns").resolve(Path.of(p).getFileName());
                Files.deleteIfExists(dir.resolve("resolv.conf"));
                Files.deleteIfExists(dir);
            }
        } finally {
            if (outside != null) {
                outside.close();
            }
            if (host != null) {
                host.close();
            }
            if (data != null) {
                AgentChild.deleteTree(data);
            }
        }
    }

    @Test
    @Order(1)
    void aContainerResolvesItsNeighboursNameToItsAddressesAndBack() throws Exception {
        Message v4 = answerEventually(a, GW1, "beta", Type.A);
        assertEquals(Rcode.NOERROR, v4.getRcode(), v4.toString());
        assertEquals(List.of(host(beta.address()).getHostAddress()), DnsProbe.answers(v4));
        Message v6 = DnsProbe.udp(a, GW1, "beta", Type.AAAA, 2000).orElseThrow();
        assertEquals(List.of(host(beta.addressIPv6()).getHostAddress()), DnsProbe.answers(v6).stream().map(NameResolutionTest::canonical).toList());
        Message qualified = DnsProbe.tcp(a, GW1, "beta.dnsnet1", Type.A, 2000).orElseThrow();
        assertEquals(List.of(host(beta.address()).getHostAddress()), DnsProbe.answers(qualified), "NAME.NETWORK, over TCP: " + qualified);
        Message ptr = DnsProbe.udp(a, GW1, ReverseMap.fromAddress(host(beta.address())).toString(), Type.PTR, 2000)
                .orElseThrow();
        assertEquals(List.of("beta."), DnsProbe.answers(ptr));
        Message over6 = DnsProbe.udp(a, GW1_6, "alpha", Type.A, 2000).orElseThrow();
        assertEquals(1, DnsProbe.answers(over6).size(), "the resolver answers on the IPv6 gateway too: " + over6);
        assertEquals(DnsProbe.answers(over6), DnsProbe.answers(DnsProbe.udp(b, GW1, "www", Type.A, 2000).orElseThrow()),
                "alpha's alias");
    }

    @Test
    @Order(1)
    void anAliasThatIsNoHostNameIsRefusedByTheAgentNamingIt() {
        dev.netkeeper.api.NetkeeperException e = assertThrows(dev.netkeeper.api.NetkeeperException.class,
                () -> net1.link("epsilon", LinkOptions.NONE.withAliases("bad name!")));
        assertEquals(dev.netkeeper.api.ErrorCode.INVALID_NAME, e.code());
        assertTrue(e.getMessage().contains("'bad name!'"), e.getMessage());
        assertTrue(net1.info().endpoints().stream().noneMatch(ep -> ep.name().equals("epsilon")), "nothing linked");
    }

    @Test
    @Order(2)
    void theNamespaceResolvConfNamesTheResolverAndPingByNameWorks() throws Exception {
        Path conf = Path.of("/etc/netns").resolve(a.getFileName()).resolve("resolv.conf");
        long deadline = System.currentTimeMillis() + 5000;
        while (!Files.exists(conf) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        String text = Files.readString(conf);
        assertTrue(text.contains("nameserver " + GW1 + "\n") && text.contains("nameserver " + GW1_6 + "\n"), text);
        assertFalse(text.contains(GW2), "only the resolvers of its own networks: " + text);
        IpOracle.Result ping = IpOracle.run("ip", "netns", "exec", a.getFileName().toString(), "ping", "-c1", "-W2", "beta");
        assertEquals(0, ping.exitCode(), "ping beta by name: " + ping.stdout() + ping.stderr());
        assertTrue(ping.stdout().contains(host(beta.address()).getHostAddress())
                || ping.stdout().contains(dev.netkeeper.netlink.IpPrefix.format(host(beta.addressIPv6()))),
                "beta's address: " + ping.stdout());
    }

    @Test
    @Order(3)
    void namesAreScopedToTheirNetwork() throws Exception {
        Message fromOther = answerEventually(c, GW2, "alpha", Type.A);
        assertEquals(Rcode.NXDOMAIN, fromOther.getRcode(), "gamma's resolver knows no name of dnsnet1: " + fromOther);
        assertEquals(Rcode.NOERROR, DnsProbe.udp(c, GW2, "gamma", Type.A, 2000).orElseThrow().getRcode());
        assertEquals(Optional.empty(), DnsProbe.udp(c, GW1, "alpha", Type.A, 1000).map(Message::toString),
                "dnsnet1's resolver does not answer a client of dnsnet2 (dropped by the firewall table)");
        assertEquals(Rcode.NXDOMAIN, DnsProbe.udp(a, GW1, "gamma", Type.A, 2000).orElseThrow().getRcode());
    }

    @Test
    @Order(4)
    void otherNamesAreForwardedToTheHostsUpstream() {
        int before = upstream.queries();
        Message m = DnsProbe.udp(a, GW1, "outside.example", Type.A, 4000).orElseThrow();
        assertEquals(List.of("203.0.113.7"), DnsProbe.answers(m), m.toString());
        assertEquals(Rcode.NXDOMAIN, DnsProbe.udp(a, GW1, "nowhere.example", Type.A, 4000).orElseThrow().getRcode());
        assertEquals(before + 2, upstream.queries(), "each asked upstream once");
        DnsProbe.udp(a, GW1, "outside.example", Type.A, 4000).orElseThrow();
        assertEquals(before + 2, upstream.queries(), "the second time from the cache");
        String metrics = IpOracle.run("curl", "-s", "--unix-socket", data.resolve("run").resolve("netkeeper.sock").toString(),
                "http://netkeeper/metrics").stdout();
        for (String line : List.of("netkeeper_dns_answers_total{kind=\"forwarded\"", "netkeeper_dns_answers_total{kind=\"a\"",
                "netkeeper_dns_queries_total{transport=\"tcp\"", "netkeeper_dns_query_seconds_count{source=\"upstream\"")) {
            assertTrue(metrics.contains(line), line + " in /metrics");
        }
    }

    @Test
    @Order(5)
    void anUnlinkedNameIsGoneWithinASecondAndARemovedNamespaceLosesItsFile() throws Exception {
        Path d = namespace("dnsd");
        net1.link("delta", LinkOptions.into(d.toString()));
        long linked = System.nanoTime();
        Message found = answerEventually(a, GW1, "delta", Type.A);
        assertEquals(Rcode.NOERROR, found.getRcode(), found.toString());
        System.out.printf("dns: delta resolved %d ms after its link was acknowledged%n", (System.nanoTime() - linked) / 1_000_000);
        Path conf = Path.of("/etc/netns").resolve(d.getFileName()).resolve("resolv.conf");
        awaitFile(conf, true);

        net1.unlink("delta");
        long unlinked = System.nanoTime();
        int rcode;
        do {
            rcode = DnsProbe.udp(a, GW1, "delta", Type.A, 1000).orElseThrow().getRcode();
        } while (rcode != Rcode.NXDOMAIN && System.nanoTime() - unlinked < 3_000_000_000L);
        long millis = (System.nanoTime() - unlinked) / 1_000_000;
        assertEquals(Rcode.NXDOMAIN, rcode);
        assertTrue(millis <= 1000, "NXDOMAIN " + millis + " ms after the unlink");
        nk.namespace(d.toString()).delete();
        awaitFile(conf, false);
    }

    @Test
    @Order(6)
    void afterASigkillNamesResolveAgainWithoutAnyClientAction() throws Exception {
        agent.kill();
        assertEquals(Optional.empty(), DnsProbe.udp(a, GW1, "beta", Type.A, 500).map(Message::toString),
                "nobody answers while the agent is down");
        agent = agent.again().start();
        Message m = answerEventually(a, GW1, "beta", Type.A);
        assertEquals(List.of(host(beta.address()).getHostAddress()), DnsProbe.answers(m));
        IpOracle.Result ping = IpOracle.run("ip", "netns", "exec", a.getFileName().toString(), "ping", "-c1", "-W2", "beta");
        assertEquals(0, ping.exitCode(), ping.stderr());
    }

    /** The first answer within 10 s (the resolver starts listening when it has read the journal). */
    static Message answerEventually(Path ns, String server, String name, int type) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            Optional<Message> m = DnsProbe.udp(ns, server, name, type, 300);
            if (m.isPresent() && (m.get().getRcode() == Rcode.NOERROR && !m.get().getSection(1).isEmpty()
                    || System.currentTimeMillis() > deadline - 5_000)) {
                return m.get();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("no answer from " + server + " for " + name + "; agent said:\n" + agent.output());
            }
            Thread.sleep(50);
        }
    }

    static void awaitFile(Path file, boolean exists) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (Files.exists(file) != exists && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(exists, Files.exists(file), file.toString());
    }

    static InetAddress host(String cidr) {
        try {
            return InetAddress.getByName(cidr.substring(0, cidr.indexOf('/')));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(cidr, e);
        }
    }

    static String canonical(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
