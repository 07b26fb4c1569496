package dev.netkeeper.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent runs as a child JVM and SIGKILLs itself at an injected point inside a command; it is then
 * restarted on the same journal and host. Whatever the point: acknowledged work is all there, the
 * interrupted command can be retried, no address is handed out twice, no veth is left orphaned, and
 * the containers still ping each other.
 */
class CrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ThrowawayNamespace host;
    private Path data;
    private String nsA;
    private String nsB;

    @BeforeEach
    void setUp() throws IOException {
        host = ThrowawayNamespace.create("crash");
        data = Files.createTempDirectory("nk-crash-");
        nsA = TestAgent.namespacePath("ca");
        nsB = TestAgent.namespacePath("cb");
    }

    @AfterEach
    void tearDown() throws IOException {
        ThrowawayNamespace.removeLeftovers(List.of(nsA, nsB));
        host.close();
        try (Stream<Path> walk = Files.walk(data)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"link.after-journal", "link.after-kernel", "add.after-claim", "add.after-journal",
            "place.after-move", "place.after-rename", "add.after-kernel"})
    void crashInsideLinkOrAddInterface(String point) throws Exception {
        String last = point.startsWith("link") ? "link net1 c2" : "add " + nsB + " net1 c2";
        Child crashed = child(point, "create net1 10.91.0.0/24", "ns " + nsA, "ns " + nsB, "link net1 c1",
                "add " + nsA + " net1 c1", last);
        assertEquals(137, crashed.exitCode(), "the agent must die by SIGKILL at " + point + "\n" + crashed);
        assertEquals(5, crashed.results().size(), "everything before the crash was acknowledged\n" + crashed);

        // Restart: the retried command succeeds and places c2; then read everything back.
        Child recovered = child("-", "add " + nsB + " net1 c2", "info net1", "nsinfo " + nsA, "nsinfo " + nsB);
        assertEquals(0, recovered.exitCode(), recovered.toString());
        for (JsonNode r : recovered.results()) {
            assertFalse(r.get(1).has("error"), "after recovery: " + r);
        }
        JsonNode info = recovered.results().get(1).get(1);
        List<String> addresses = new ArrayList<>();
        Set<String> hostVeths = new HashSet<>();
        for (JsonNode ep : info.get("endpoints")) {
            JsonNode iface = ep.get("interfaces").get(0);
            addresses.add(iface.get("address").asText());
            hostVeths.add("nkv" + iface.get("srcName").asText().substring(3));
        }
        assertEquals(List.of("10.91.0.2/24", "10.91.0.3/24"), addresses.stream().sorted().toList(),
                "c1 and c2, each address once");

        String bridge = info.get("driverOptions").get("bridge.name").asText();
        Set<String> ports = new HashSet<>();
        List<String> strays = new ArrayList<>();
        for (JsonNode l : IpOracle.links(host.name())) {
            String name = l.path("ifname").asText();
            if (bridge.equals(l.path("master").asText())) {
                ports.add(name);
            }
            if (name.startsWith("nkc")) {
                strays.add(name);
            }
        }
        assertEquals(hostVeths, ports, "exactly the journaled endpoints are on the bridge: no orphan veth");
        assertEquals(List.of(), strays, "no container end left behind in the host");

        String a = Path.of(nsA).getFileName().toString();
        String b = Path.of(nsB).getFileName().toString();
        assertEquals("eth0", recovered.results().get(2).get(1).get("interfaces").get(0).get("dstName").asText());
        assertEquals(1, recovered.results().get(3).get(1).get("interfaces").size(), "c2 in B exactly once");
        assertTrue(IpOracle.addressesOf(a, "eth0").contains("10.91.0.2/24"));
        assertTrue(IpOracle.addressesOf(b, "eth0").contains("10.91.0.3/24"));
        assertTrue(IpOracle.ping(a, "10.91.0.3"), "A pings B after recovery");
        assertTrue(IpOracle.ping(b, "10.91.0.1"), "B pings the gateway after recovery");
    }

    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"create.after-journal"})
    void crashInsideCreate(String point) throws Exception {
        Child crashed = child(point, "create net2 10.92.0.0/24");
        assertEquals(137, crashed.exitCode(), crashed.toString());
        Child recovered = child("-", "sleep 1500", "info net2", "link net2 c1");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        JsonNode info = recovered.results().get(1).get(1);
        assertEquals("10.92.0.0/24", info.get("subnet").asText(), recovered.toString());
        String bridge = info.get("driverOptions").get("bridge.name").asText();
        JsonNode br = IpOracle.link(host.name(), bridge);
        assertNotNull(br, "the journaled network's bridge was made on recovery");
        assertTrue(IpOracle.addressesOf(host.name(), bridge).contains("10.92.0.1/24"));
        assertEquals("10.92.0.2/24", recovered.results().get(2).get(1).get(0).get("address").asText());
    }

    /**
     * A tear-down cut right after its journal write (the kernel untouched): recovery finishes it, whatever it
     * was. A deleted namespace's mount goes and its interface returns to the host; a removed interface returns;
     * an unlinked endpoint's pair goes; a deleted network's bridge and pairs go. What was not torn down stays.
     */
    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"ns-delete.after-journal", "remove.after-journal", "unlink.after-journal",
            "network-delete.after-journal"})
    void crashInsideATearDown(String point) throws Exception {
        String last = switch (point) {
            case "ns-delete.after-journal" -> "nsrm " + nsA;
            case "remove.after-journal" -> "remove " + nsA + " eth0";
            case "unlink.after-journal" -> "unlink net3 c1";
            default -> "netrm net3";
        };
        Child crashed = child(point, "create net3 10.93.0.0/24", "ns " + nsA, "ns " + nsB, "add " + nsA + " net3 c1",
                "add " + nsB + " net3 c2", last);
        assertEquals(137, crashed.exitCode(), "the agent must die by SIGKILL at " + point + "\n" + crashed);
        assertEquals(5, crashed.results().size(), crashed.toString());

        Child recovered = child("-", "sleep 2500", "nslist", "info net3");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        List<String> listed = new ArrayList<>();
        recovered.results().get(1).get(1).forEach(n -> listed.add(n.asText()));
        JsonNode info = recovered.results().get(2).get(1);
        String a = Path.of(nsA).getFileName().toString();
        String b = Path.of(nsB).getFileName().toString();
        List<String> hostLinks = IpOracle.linkNames(host.name());
        switch (point) {
            case "ns-delete.after-journal" -> {
                assertEquals(List.of(nsB), listed, recovered.toString());
                assertFalse(Files.exists(Path.of(nsA)), "the deleted namespace's mount is gone");
                JsonNode c1 = endpoint(info, "c1");
                assertTrue(c1.path("namespace").isNull() || c1.path("namespace").isMissingNode(), c1.toString());
                assertTrue(hostLinks.contains(c1.get("interfaces").get(0).get("srcName").asText()),
                        "c1's interface is back in the host: " + hostLinks);
            }
            case "remove.after-journal" -> {
                assertEquals(List.of(nsA, nsB).stream().sorted().toList(), listed.stream().sorted().toList());
                assertEquals(List.of("lo"), IpOracle.linkNames(a), "nothing stranded in A");
                JsonNode c1 = endpoint(info, "c1");
                assertTrue(hostLinks.contains(c1.get("interfaces").get(0).get("srcName").asText()),
                        "c1's interface is back in the host: " + hostLinks);
            }
            case "unlink.after-journal" -> {
                assertEquals(1, info.get("endpoints").size(), "only c2: " + info);
                assertEquals(List.of("lo"), IpOracle.linkNames(a), "nothing stranded in A");
                assertEquals(1, hostLinks.stream().filter(n -> n.startsWith("nkv")).count(),
                        "only c2's host end is left: " + hostLinks);
                assertEquals(0, hostLinks.stream().filter(n -> n.startsWith("nkc")).count(), hostLinks.toString());
            }
            default -> {
                assertTrue(info.has("error"), "the network stays deleted: " + info);
                assertEquals(List.of("lo"), IpOracle.linkNames(a), "nothing of the network in A");
                assertEquals(List.of("lo"), IpOracle.linkNames(b), "nothing of the network in B");
                assertTrue(hostLinks.stream().noneMatch(n -> n.startsWith("nk")), "no bridge or veth left: " + hostLinks);
            }
        }
        if (!point.startsWith("network")) {
            assertEquals(List.of("lo", "eth0"), IpOracle.linkNames(b), "B keeps c2");
            assertTrue(IpOracle.ping(b, "10.93.0.1"), "B pings the gateway");
        }
    }

    /**
     * A one-step link (the interface born in its namespace) cut anywhere: after the network's journal write (kernel
     * untouched), after the kernel work, after the answer (the namespace's own write not done). Recovery finishes it:
     * the namespace lists the interface, it is in place under its journaled name, and a retry answers it again.
     */
    @ParameterizedTest(name = "crash at {0}")
    @ValueSource(strings = {"link.after-journal", "link.after-kernel", "link-into.after-reply"})
    void crashInsideAOneStepLink(String point) throws Exception {
        Child crashed = child(point, "create net5 10.95.0.0/24", "ns " + nsA, "ns " + nsB, "linkns net5 c1 " + nsA);
        assertEquals(137, crashed.exitCode(), "the agent must die by SIGKILL at " + point + "\n" + crashed);
        assertEquals(3, crashed.results().size(), crashed.toString());

        Child recovered = child("-", "sleep 1500", "nsinfo " + nsA, "linkns net5 c1 " + nsA, "linkns net5 c2 " + nsB,
                "info net5");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        for (JsonNode r : recovered.results()) {
            assertFalse(r.get(1).has("error"), "after recovery: " + r);
        }
        JsonNode inA = recovered.results().get(1).get(1).get("interfaces");
        assertEquals(1, inA.size(), "A lists c1 once, without any client action: " + inA);
        assertEquals("eth0", inA.get(0).get("dstName").asText());
        assertEquals("10.95.0.2/24", inA.get(0).get("address").asText());
        assertEquals(inA.get(0), recovered.results().get(2).get(1).get(0), "the retry answers the same interface");
        String a = Path.of(nsA).getFileName().toString();
        String b = Path.of(nsB).getFileName().toString();
        assertEquals(List.of("lo", "eth0"), IpOracle.linkNames(a));
        assertTrue(IpOracle.addressesOf(a, "eth0").contains("10.95.0.2/24"));
        List<String> hostLinks = IpOracle.linkNames(host.name());
        assertEquals(0, hostLinks.stream().filter(n -> n.startsWith("nkc")).count(), "no container end in the host");
        assertEquals(2, hostLinks.stream().filter(n -> n.startsWith("nkv")).count(), hostLinks.toString());
        assertTrue(IpOracle.pingEventually(a, "10.95.0.3", 5000), "A pings B");
        assertTrue(IpOracle.ping(b, "10.95.0.1"), "B pings the gateway");
    }

    /** A namespace deleted with an interface born in it, cut after its journal write: recovery releases the endpoint. */
    @Test
    void crashWhileDeletingANamespaceWithABornInterface() throws Exception {
        Child crashed = child("ns-delete.after-journal", "create net6 10.96.0.0/24", "ns " + nsA, "ns " + nsB,
                "linkns net6 c1 " + nsA, "linkns net6 c2 " + nsB, "nsrm " + nsA);
        assertEquals(137, crashed.exitCode(), crashed.toString());
        assertEquals(5, crashed.results().size(), crashed.toString());

        Child recovered = child("-", "sleep 2500", "nslist", "info net6");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        assertEquals(List.of(nsB), JSON.convertValue(recovered.results().get(1).get(1), List.class));
        JsonNode info = recovered.results().get(2).get(1);
        assertEquals(1, info.get("endpoints").size(), "c1 released with its namespace: " + info);
        assertEquals("c2", info.get("endpoints").get(0).get("name").asText());
        assertFalse(Files.exists(Path.of(nsA)), "the deleted namespace's mount is gone");
        List<String> hostLinks = IpOracle.linkNames(host.name());
        assertEquals(1, hostLinks.stream().filter(n -> n.startsWith("nkv")).count(), "only c2's pair: " + hostLinks);
        assertEquals(0, hostLinks.stream().filter(n -> n.startsWith("nkc")).count(), hostLinks.toString());
        assertTrue(IpOracle.ping(Path.of(nsB).getFileName().toString(), "10.96.0.1"), "B keeps c2");
    }

    /**
     * A network growing by a bridge (bridge.max-ports 2: the third endpoint needs a second bridge), cut between the
     * new bridge and its trunk: recovery makes the segment whole (one bridge, one trunk, the endpoint's port on it),
     * it reaches the gateway and the first bridge's endpoints across the trunk, and unlinking its last endpoint
     * removes the segment's bridge and trunk, nothing orphaned.
     */
    @Test
    void crashWhileTheNetworkGrows() throws Exception {
        Child crashed = child("grow.after-bridge", "create net4 10.94.0.0/24 2", "ns " + nsA, "add " + nsA + " net4 g1",
                "link net4 g2", "link net4 g3");
        assertEquals(137, crashed.exitCode(), "the agent must die by SIGKILL while growing\n" + crashed);
        assertEquals(4, crashed.results().size(), crashed.toString());

        Child recovered = child("-", "sleep 2500", "ns " + nsB, "add " + nsB + " net4 g3");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        List<String> hostLinks = IpOracle.linkNames(host.name());
        List<String> segmentBridges = hostLinks.stream().filter(n -> n.startsWith("nkb")).toList();
        assertEquals(1, segmentBridges.size(), "one segment bridge: " + hostLinks);
        assertEquals(1, hostLinks.stream().filter(n -> n.startsWith("nkt")).count(), "one trunk: " + hostLinks);
        assertEquals(1, hostLinks.stream().filter(n -> n.startsWith("nku")).count(), "one trunk: " + hostLinks);
        String b = Path.of(nsB).getFileName().toString();
        assertTrue(IpOracle.ping(b, "10.94.0.1"), "g3, on the grown bridge, pings the gateway on the first");
        assertTrue(IpOracle.ping(b, "10.94.0.2"), "and g1 on the first bridge, across the trunk");

        Child unlinked = child("-", "sleep 1500", "nsrm " + nsB, "unlink net4 g3", "sleep 1000");
        assertEquals(0, unlinked.exitCode(), unlinked.toString());
        List<String> after = IpOracle.linkNames(host.name());
        assertTrue(after.stream().noneMatch(n -> n.startsWith("nkb") || n.startsWith("nkt") || n.startsWith("nku")),
                "the emptied segment's bridge and trunk are gone: " + after);
    }

    /**
     * A mapping journaled, the agent killed before the kernel step, for a publish and for an unpublish: after the restart
     * the host's table holds exactly what the journal says (the firewall settles from it), and a table of another
     * owner in the same namespace is intact.
     */
    @Test
    void crashBetweenJournalingAMappingAndTheKernel() throws Exception {
        assertEquals(0, IpOracle.run("ip", "netns", "exec", host.name(), "nft", "add table ip theirs; add chain ip theirs c;"
                + " add rule ip theirs c counter").exitCode());
        Child published = child("publish.after-journal", "create net7 10.97.0.0/24", "ns " + nsA,
                "linkns net7 c1 " + nsA, "publish net7 c1 8080:80/tcp");
        assertEquals(137, published.exitCode(), published.toString());
        assertFalse(dnat(host.name()).contains("8080"), "killed before the kernel step: " + dnat(host.name()));

        Child recovered = child("-", "sleep 2500", "info net7");
        assertEquals(0, recovered.exitCode(), recovered.toString());
        assertEquals(8080, endpoint(recovered.results().get(1).get(1), "c1").get("published").get(0).get("hostPort").asInt(),
                "journaled with the endpoint");
        assertTrue(dnat(host.name()).contains("tcp . 8080 : 10.97.0.2 . 80"), "the table says what the journal says: "
                + dnat(host.name()));

        Child unpublished = child("publish.after-journal", "unpublish net7 c1 8080/tcp");
        assertEquals(137, unpublished.exitCode(), unpublished.toString());
        Child again = child("-", "sleep 2500");
        assertEquals(0, again.exitCode(), again.toString());
        assertFalse(dnat(host.name()).contains("8080"), "gone from the table as from the journal: " + dnat(host.name()));
        assertTrue(IpOracle.run("ip", "netns", "exec", host.name(), "nft", "list table ip theirs").stdout()
                .contains("counter"), "another owner's table is left alone");
    }

    private static String dnat(String host) {
        return IpOracle.run("ip", "netns", "exec", host, "nft", "list map inet netkeeper dnat4").stdout();
    }

    private static JsonNode endpoint(JsonNode info, String name) {
        for (JsonNode e : info.get("endpoints")) {
            if (name.equals(e.get("name").asText())) {
                return e;
            }
        }
        throw new AssertionError("no endpoint " + name + " in " + info);
    }

    private record Child(int exitCode, List<JsonNode> results, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output;
        }
    }

    private Child child(String crashAt, String... commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-test.xml").toAbsolutePath(),
                AgentProcess.class.getName(), host.path().toString(), data.toString(), crashAt));
        cmd.addAll(List.of(commands));
        Path log = Files.createTempFile("nk-child-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("child agent hung:\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            List<JsonNode> results = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    results.add(JSON.readTree(line.substring(7)));
                }
            }
            return new Child(p.exitValue(), results, out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
