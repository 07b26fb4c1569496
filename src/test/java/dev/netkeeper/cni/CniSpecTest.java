package dev.netkeeper.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.testing.CniShim;
import dev.netkeeper.testing.CniShim.Outcome;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CNI spec, driven directly through the installed plugin (the shim, its socket, the agent's endpoint) as a
 * runtime drives it, in throwaway namespaces: every command and version, the errors a runtime must get, DEL's
 * idempotence (twice, the namespace gone, after a failed ADD, the agent away: spooled and replayed), CHECK
 * against a kernel someone changed, GC with a partial list, and the address and MAC a container asks for.
 */
class CniSpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestAgent agent;
    private static NetkeeperClient nk;
    private static Path socket;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("cni");
        socket = agent.socket();
        nk = agent.client();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    /** The network configuration of network {@code name}, version {@code version}, as a conflist's plugin entry. */
    private static ObjectNode config(String version, String name, String subnet) {
        ObjectNode c = JSON.createObjectNode();
        c.put("cniVersion", version).put("name", name).put("type", "netkeeper").put("subnet", subnet)
                .put("socket", socket.toString()).put("spool", agent.dataDir().resolve("cni-spool").toString());
        return c;
    }

    private static Map<String, String> env(String command, String container, ThrowawayNamespace ns) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", container);
        env.put("CNI_NETNS", ns == null ? "" : ns.path().toString());
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        return env;
    }

    private static Outcome call(Map<String, String> env, JsonNode config) {
        return CniShim.run(env, config.toString());
    }

    private static Outcome ok(Map<String, String> env, JsonNode config) {
        Outcome o = call(env, config);
        assertEquals(0, o.exitCode(), () -> env.get("CNI_COMMAND") + " failed: " + o);
        return o;
    }

    /** The DEL or CHECK configuration: the ADD's, with its result as prevResult. */
    private static ObjectNode withPrev(ObjectNode config, JsonNode result) {
        ObjectNode c = config.deepCopy();
        c.set("prevResult", result);
        return c;
    }

    private static List<String> endpoints(String network) {
        return nk.network(network).info().endpoints().stream().map(EndpointInfo::name).toList();
    }

    @Test
    void addCheckDelInEveryVersion() {
        int n = 0;
        for (String version : CniConfig.SUPPORTED_VERSIONS) {
            String net = "cnispec" + n;
            String subnet = "10.91." + n + ".0/24";
            ObjectNode config = config(version, net, subnet);
            try (ThrowawayNamespace ns = ThrowawayNamespace.create("cniadd")) {
                String container = "c0ffee" + n;
                JsonNode result = ok(env("ADD", container, ns), config).json();
                assertEquals(version, result.path("cniVersion").asText());
                JsonNode iface = result.path("interfaces").get(1);
                assertEquals("eth0", iface.path("name").asText());
                assertEquals(ns.path().toString(), iface.path("sandbox").asText());
                assertTrue(result.path("interfaces").get(0).path("name").asText().startsWith("nkv"), "the host end first");
                JsonNode ip = result.path("ips").get(0);
                assertEquals(1, ip.path("interface").asInt());
                assertEquals("10.91." + n + ".1", ip.path("gateway").asText());
                assertEquals(version.equals("0.4.0") ? "4" : "", ip.path("version").asText(""), "0.4.0 names the family");
                assertEquals("0.0.0.0/0", result.path("routes").get(0).path("dst").asText());
                assertEquals("10.91." + n + ".1", result.path("dns").path("nameservers").path(0).asText(),
                        "the network's resolver: " + result);
                String address = ip.path("address").asText();
                assertTrue(IpOracle.addressesOf(ns.name(), "eth0").contains(address), "eth0 holds " + address);
                assertEquals(iface.path("mac").asText(), IpOracle.link(ns.name(), "eth0").path("address").asText());

                ok(env("ADD", container, ns), config); // a repeated ADD answers the same attachment
                assertEquals(1, endpoints(net).size());
                ok(env("CHECK", container, ns), withPrev(config, result));

                ok(env("DEL", container, ns), withPrev(config, result));
                ok(env("DEL", container, ns), withPrev(config, result)); // DEL twice
                assertEquals(List.of(), endpoints(net));
                assertFalse(IpOracle.linkNames(ns.name()).contains("eth0"), "eth0 is gone");
                assertTrue(Files.exists(ns.path()), "the runtime's namespace is never removed");
                NetkeeperException forgotten = assertThrows(NetkeeperException.class,
                        () -> nk.namespace(ns.path().toString()));
                assertEquals(ErrorCode.NO_SUCH_NAMESPACE, forgotten.code(), "forgotten once it holds nothing of ours");
            }
            nk.network(net).delete(true);
            n++;
        }
    }

    @Test
    void checkNamesWhatSomeoneChanged() {
        ObjectNode config = config("1.0.0", "cnicheck", "10.92.0.0/24");
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("cnichk")) {
            JsonNode result = ok(env("ADD", "check1", ns), config).json();
            String address = result.path("ips").get(0).path("address").asText();
            IpOracle.ipIn(ns.name(), "addr", "del", address, "dev", "eth0");
            Outcome check = call(env("CHECK", "check1", ns), withPrev(config, result));
            assertEquals(CniErrors.code(ErrorCode.KERNEL_DIFFERS), check.code(), check::toString);
            assertTrue(check.json().path("msg").asText().contains("address " + address + " is missing"), check::toString);

            ObjectNode forged = result.deepCopy();
            ((ObjectNode) forged.path("interfaces").get(1)).put("mac", "02:00:00:00:00:99");
            Outcome differs = call(env("CHECK", "check1", ns), withPrev(config, forged));
            assertTrue(differs.json().path("msg").asText().contains("MAC"), differs::toString);
            assertEquals(CniError.INVALID_CONFIG, call(env("CHECK", "check1", ns), config).code(), "CHECK needs prevResult");
            ok(env("DEL", "check1", ns), withPrev(config, result));
        }
        nk.network("cnicheck").delete(true);
    }

    @Test
    void delSucceedsWhenTheNamespaceIsGoneAndAfterAFailedAdd() {
        ObjectNode config = config("1.0.0", "cnigone", "10.93.0.0/24");
        JsonNode result;
        ThrowawayNamespace ns = ThrowawayNamespace.create("cnigone");
        try (ns) {
            result = ok(env("ADD", "gone1", ns), config).json();
        }
        ok(env("DEL", "gone1", ns), withPrev(config, result));
        assertEquals(List.of(), endpoints("cnigone"));

        // asked for an address that is taken: refused with netkeeper's typed code, nothing left; DEL after it succeeds
        try (ThrowawayNamespace a = ThrowawayNamespace.create("cniip"); ThrowawayNamespace b = ThrowawayNamespace.create("cniip")) {
            Map<String, String> first = env("ADD", "ip1", a);
            first.put("CNI_ARGS", "IgnoreUnknown=1;IP=10.93.0.50;MAC=02:11:22:33:44:55");
            JsonNode r = ok(first, config).json();
            assertEquals("10.93.0.50/24", r.path("ips").get(0).path("address").asText());
            assertEquals("02:11:22:33:44:55", r.path("interfaces").get(1).path("mac").asText());
            assertEquals("02:11:22:33:44:55", IpOracle.link(a.name(), "eth0").path("address").asText());

            Map<String, String> second = env("ADD", "ip2", b);
            second.put("CNI_ARGS", "IP=10.93.0.50");
            Outcome taken = call(second, config);
            assertEquals(CniErrors.code(ErrorCode.ADDRESS_IN_USE), taken.code(), taken::toString);
            assertTrue(taken.json().path("msg").asText().contains("10.93.0.50"), taken::toString);
            second.put("CNI_ARGS", "MAC=02:11:22:33:44:55");
            assertEquals(CniErrors.code(ErrorCode.ADDRESS_IN_USE), call(second, config).code());
            assertEquals(List.of("cni:ip1:eth0"), endpoints("cnigone"), "the refused ADDs left no endpoint");
            ok(env("DEL", "ip2", b), config); // the runtime's DEL after its failed ADD
            assertEquals(List.of("lo"), IpOracle.linkNames(b.name()));
            ok(env("DEL", "ip1", a), withPrev(config, r));
        }
        nk.network("cnigone").delete(true);
    }

    @Test
    void aContainerOnTwoNetworksKeepsAWayOutWhenTheFirstGoes() throws InterruptedException {
        ObjectNode first = config("1.0.0", "cnitwo1", "10.99.1.0/24");
        ObjectNode second = config("1.0.0", "cnitwo2", "10.99.2.0/24");
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("cnitwo")) {
            JsonNode r1 = ok(env("ADD", "two1", ns), first).json();
            Map<String, String> eth1 = env("ADD", "two1", ns);
            eth1.put("CNI_IFNAME", "eth1");
            JsonNode r2 = ok(eth1, second).json();
            assertEquals(1, r1.path("routes").size(), "the first network's interface carries the default route");
            assertEquals(0, r2.path("routes").size(), "one default route per family: the second gets none");

            ok(env("DEL", "two1", ns), withPrev(first, r1));
            long deadline = System.currentTimeMillis() + 5_000;
            while (!defaultVia(ns, "10.99.2.1") && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(defaultVia(ns, "10.99.2.1"), "the default route moved to eth1: " + IpOracle.routes(ns.name(), false));
            Map<String, String> check = new HashMap<>(eth1);
            check.put("CNI_COMMAND", "CHECK");
            ok(check, withPrev(second, r2));
            Map<String, String> del = new HashMap<>(eth1);
            del.put("CNI_COMMAND", "DEL");
            ok(del, withPrev(second, r2));
        }
        nk.network("cnitwo1").delete(true);
        nk.network("cnitwo2").delete(true);
    }

    private static boolean defaultVia(ThrowawayNamespace ns, String gateway) {
        for (JsonNode r : IpOracle.routes(ns.name(), false)) {
            if (r.path("dst").asText().equals("default") && r.path("gateway").asText().equals(gateway)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void delWhileTheAgentIsAwayIsSpooledAndReplayed() throws Exception {
        ObjectNode config = config("1.0.0", "cnispool", "10.94.0.0/24");
        try (ThrowawayNamespace a = ThrowawayNamespace.create("cnisp"); ThrowawayNamespace b = ThrowawayNamespace.create("cnisp")) {
            JsonNode gone = ok(env("ADD", "spool1", a), config).json();
            JsonNode kept = ok(env("ADD", "spool2", b), config).json();
            ObjectNode stale = kept.deepCopy(); // a DEL of an earlier life of spool2: another interface
            ((ObjectNode) stale.path("interfaces").get(1)).put("mac", "02:00:00:00:00:77");
            Path spool = agent.dataDir().resolve("cni-spool");
            agent.restart(() -> {
                nk = null; // the agent is away: only the shim is used here
                ok(env("DEL", "spool1", a), withPrev(config, gone));
                ok(env("DEL", "spool2", b), withPrev(config, stale));
                assertEquals(CniError.NOT_AVAILABLE, call(env("STATUS", "x", null), config("1.1.0", "cnispool",
                        "10.94.0.0/24")).code(), "STATUS says the agent is away");
            });
            nk = agent.client();
            long deadline = System.currentTimeMillis() + 20_000;
            while (spoolHolds(spool) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertFalse(spoolHolds(spool), "the spool is replayed");
            assertEquals(List.of("cni:spool2:eth0"), endpoints("cnispool"),
                    "the spooled DEL removed its attachment, and not one its prevResult does not name");
            ok(env("STATUS", "x", null), config("1.1.0", "cnispool", "10.94.0.0/24"));
            ok(env("DEL", "spool2", b), withPrev(config, kept));
        }
        nk.network("cnispool").delete(true);
    }

    private static boolean spoolHolds(Path spool) throws java.io.IOException {
        try (var files = Files.list(spool)) {
            return files.findAny().isPresent();
        }
    }

    @Test
    void gcReleasesWhatTheRuntimeNoLongerLists() {
        ObjectNode config = config("1.1.0", "cnigc", "10.95.0.0/24");
        try (ThrowawayNamespace a = ThrowawayNamespace.create("cnigc"); ThrowawayNamespace b = ThrowawayNamespace.create("cnigc")) {
            ok(env("ADD", "gc1", a), config);
            ok(env("ADD", "gc2", b), config);
            nk.network("cnigc").link("not-cni"); // an endpoint linked otherwise is none of GC's business
            ObjectNode gc = config.deepCopy();
            gc.putArray("cni.dev/valid-attachments").addObject().put("containerID", "gc1").put("ifname", "eth0");
            ok(env("GC", "", null), gc);
            assertEquals(List.of("cni:gc1:eth0", "not-cni"), endpoints("cnigc"));
            assertFalse(IpOracle.linkNames(b.name()).contains("eth0"));
            assertEquals(CniError.INCOMPATIBLE_VERSION, call(env("GC", "", null), config("1.0.0", "cnigc", "10.95.0.0/24")).code(),
                    "GC is a 1.1.0 command");
        }
        nk.network("cnigc").delete(true);
    }

    @Test
    void badInputGetsTheSpecsErrors() {
        ObjectNode config = config("1.0.0", "cnibad", "10.96.0.0/24");
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("cnibad")) {
            for (String version : CniConfig.SUPPORTED_VERSIONS) {
                JsonNode v = ok(env("VERSION", "", null), JSON.createObjectNode().put("cniVersion", version)).json();
                assertEquals(version, v.path("cniVersion").asText());
                assertEquals(CniConfig.SUPPORTED_VERSIONS, JSON.convertValue(v.path("supportedVersions"), List.class));
            }
            assertEquals(CniError.INCOMPATIBLE_VERSION, call(env("ADD", "bad1", ns), config("9.9.9", "cnibad", "10.96.0.0/24")).code());
            assertEquals(CniError.DECODING_FAILURE, CniShim.run(env("ADD", "bad1", ns), "{\"cniVersion\": \"1.0.0\", ").code(),
                    "cut short: refused by the shim");
            Outcome malformed = CniShim.run(env("ADD", "bad1", ns), "{\"cniVersion\": \"1.0.0\", \"socket\": \""
                    + socket + "\", \"name\": }");
            assertEquals(CniError.DECODING_FAILURE, malformed.code(), "malformed: refused by the agent " + malformed);
            Map<String, String> noId = env("ADD", "bad1", ns);
            noId.remove("CNI_CONTAINERID");
            Outcome missing = call(noId, config);
            assertEquals(CniError.INVALID_ENVIRONMENT, missing.code());
            assertTrue(missing.json().path("msg").asText().contains("CNI_CONTAINERID"), missing::toString);
            Map<String, String> noCommand = env("ADD", "bad1", ns);
            noCommand.remove("CNI_COMMAND");
            assertEquals(CniError.INVALID_ENVIRONMENT, call(noCommand, config).code());
            assertEquals(CniError.INVALID_ENVIRONMENT, call(env("FROB", "bad1", ns), config).code());
            Map<String, String> badIf = env("ADD", "bad1", ns);
            badIf.put("CNI_IFNAME", "eth");
            assertEquals(CniError.INVALID_ENVIRONMENT, call(badIf, config).code(), "an interface name must end in a digit");

            ObjectNode elsewhere = config.deepCopy().put("spool", "/tmp/not-the-agents-spool");
            Outcome spoolElsewhere = call(env("ADD", "bad1", ns), elsewhere);
            assertEquals(CniError.INVALID_CONFIG, spoolElsewhere.code(), "a DEL spooled there would be lost: " + spoolElsewhere);

            ok(env("ADD", "bad1", ns), config);
            Outcome conflict = call(env("ADD", "bad2", ns), config("1.0.0", "cnibad", "10.97.0.0/24"));
            assertEquals(CniError.INVALID_CONFIG, conflict.code(), conflict::toString);
            assertTrue(conflict.json().path("msg").asText().contains("10.96.0.0/24"), conflict::toString);
            ok(env("DEL", "bad1", ns), config);
        }
        nk.network("cnibad").delete(true);
    }

    @Test
    void portMappingsArePublishedAndEachCallIsAuditedWithItsContainer() {
        ObjectNode config = config("1.0.0", "cniports", "10.98.0.0/24");
        config.putObject("runtimeConfig").putArray("portMappings").addObject()
                .put("hostPort", 38080).put("containerPort", 80).put("protocol", "tcp");
        try (ThrowawayNamespace ns = ThrowawayNamespace.create("cniport")) {
            JsonNode result = ok(env("ADD", "port1", ns), config).json();
            NetworkInfo info = nk.network("cniports").info();
            assertEquals("38080:80/tcp", info.endpoints().get(0).published().get(0).toString().replace("0.0.0.0:", ""));
            ok(env("CHECK", "port1", ns), withPrev(config, result));
            ok(env("DEL", "port1", ns), withPrev(config, result));
            List<AuditRecord> trail = nk.audit(new dev.netkeeper.api.AuditQuery("cniports", null, null, null, 0L, 0))
                    .records();
            assertNotNull(trail.stream().filter(r -> r.origin().contains("cni ADD port1")).findAny().orElse(null),
                    "the ADD is audited with its container: " + trail);
            assertTrue(trail.stream().anyMatch(r -> r.origin().contains("cni DEL port1")), trail::toString);
        }
        nk.network("cniports").delete(true);
    }
}
