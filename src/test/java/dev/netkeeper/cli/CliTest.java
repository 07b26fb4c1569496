package dev.netkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The operator CLI in this JVM ({@link Main#run}) against an in-process agent whose host is a throwaway
 * namespace, reached over Artery with {@code --agent}; and once as its own process.
 */
class CliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> INTERFACE_FIELDS = new TreeSet<>(List.of("srcName", "dstName", "macAddress",
            "address", "addressIPv6", "gateway", "gatewayIPv6", "mtu"));

    private static TestAgent agent;
    private static String address;
    private static CliRunner cli;

    @BeforeAll
    static void startAgent() {
        agent = TestAgent.start("cli");
        address = agent.apiAddress();
        cli = CliRunner.overSocket(agent.socket());
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void networkCreateListInspectRemove() throws Exception {
        CliRunner.Result created = ok("network", "create", "clinet", "--subnet", "10.97.0.0/24", "--mtu", "1400",
                "--opt", "bridge.name=br-clinet", "--principal", "cli-test");
        assertTrue(created.out().startsWith("NAME"), created.toString());
        assertTrue(created.out().contains("clinet") && created.out().contains("10.97.0.0/24"), created.toString());

        String table = ok("network", "ls").out();
        String[] lines = table.split("\n");
        assertTrue(lines[0].matches("NAME\\s+DRIVER\\s+SUBNET\\s+GATEWAY\\s+IPV6-SUBNET\\s+MTU\\s+INTERNAL\\s+ENDPOINTS"),
                table);
        String row = find(lines, "clinet ");
        assertTrue(row.matches("clinet\\s+bridge\\s+10\\.97\\.0\\.0/24\\s+10\\.97\\.0\\.1\\s+-\\s+1400\\s+false\\s+0"), row);
        assertEquals(lines[0].indexOf("DRIVER"), row.indexOf("bridge"), "columns aligned:\n" + table);

        JsonNode list = json(ok("network", "ls", "--json"));
        assertTrue(list.isArray());
        JsonNode net = null;
        for (JsonNode n : list) {
            if (n.path("name").asText().equals("clinet")) {
                net = n;
            }
        }
        assertNotNull(net, list.toString());
        assertEquals("bridge", net.path("type").asText());
        assertEquals("10.97.0.0/24", net.path("subnet").asText());
        assertEquals("10.97.0.1", net.path("gateway").asText());
        assertEquals(1400, net.path("mtu").asInt());
        assertFalse(net.path("internal").asBoolean());
        assertEquals("br-clinet", net.path("driverOptions").path("bridge.name").asText());
        assertTrue(net.path("subnetIPv6").isNull());

        String inspect = ok("network", "inspect", "clinet").out();
        assertTrue(inspect.contains("subnet:") && inspect.contains("options:") && inspect.contains("bridge.name=br-clinet"),
                inspect);
        JsonNode one = json(ok("network", "inspect", "clinet", "--json"));
        assertEquals("clinet", one.path("name").asText());
        assertEquals(0, one.path("endpoints").size());

        assertEquals("clinet", ok("network", "rm", "clinet").out().strip());
        CliRunner.Result gone = cli.run("network", "inspect", "clinet");
        assertOneLineError(gone, "NO_SUCH_NETWORK");
    }

    @Test
    void createWithIpv6InternalAndJson() throws Exception {
        JsonNode net = json(ok("--json", "network", "create", "cli6", "--driver", "bridge", "--subnet", "10.98.0.0/24",
                "--ipv6-subnet", "fd00:98::/64", "--gateway", "10.98.0.254", "--ip-range", "10.98.0.128/25",
                "--internal", "--opt=bridge.name=br-cli6"));
        assertEquals("cli6", net.path("name").asText());
        assertEquals("10.98.0.254", net.path("gateway").asText());
        assertEquals("fd00:98::/64", net.path("subnetIPv6").asText());
        assertTrue(net.path("internal").asBoolean());
        JsonNode iface = json(ok("link", "cli6", "e1", "--json")).get(0);
        assertTrue(iface.path("address").asText().startsWith("10.98.0.1"), "from the ip-range: " + iface);
        assertTrue(iface.path("addressIPv6").asText().startsWith("fd00:98::"), iface.toString());
        CliRunner.Result inUse = cli.run("network", "rm", "cli6");
        assertOneLineError(inUse, "NETWORK_IN_USE");
        ok("network", "rm", "cli6", "--force");
    }

    @Test
    void linkPrintsTheInterfacesWithTheSeedsFieldNames() throws Exception {
        ok("network", "create", "clilink", "--subnet", "10.99.0.0/24", "--opt", "bridge.name=br-clilink");
        CliRunner.Result table = ok("link", "clilink", "c1");
        String[] lines = table.out().split("\n");
        assertTrue(lines[0].matches("SRC\\s+DST\\s+MAC\\s+ADDRESS\\s+IPV6\\s+GATEWAY\\s+IPV6-GATEWAY\\s+MTU"),
                table.toString());
        assertEquals(2, lines.length, table.toString());
        assertTrue(lines[1].contains("10.99.0.2/24") && lines[1].contains("10.99.0.1"), table.toString());

        JsonNode array = json(ok("link", "clilink", "c1", "--json"));
        assertEquals(1, array.size(), array.toString());
        JsonNode iface = array.get(0);
        assertEquals(INTERFACE_FIELDS, fieldNames(iface));
        assertEquals("10.99.0.2/24", iface.path("address").asText(), "link is idempotent: the same interface");
        assertEquals("10.99.0.1", iface.path("gateway").asText());
        assertEquals("eth", iface.path("dstName").asText());
        assertTrue(iface.path("macAddress").asText().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), iface.toString());
        assertEquals(1500, iface.path("mtu").asInt());
        assertTrue(iface.path("addressIPv6").isNull());

        // one step into a namespace: born there under the name --dst gives (--ns takes a value, as its usage says)
        String path = TestAgent.namespacePath("cli-into");
        ok("ns", "create", path);
        JsonNode born = json(ok("link", "clilink", "c2", "--ns", path, "--dst", "net0", "--json")).get(0);
        assertEquals("net0", born.path("dstName").asText());
        assertTrue(IpOracle.addressesOf(java.nio.file.Path.of(path).getFileName().toString(), "net0")
                .contains(born.path("address").asText()), "addressed in the namespace");
        ok("unlink", "clilink", "c2");
        ok("ns", "rm", path);

        assertEquals("c1", ok("unlink", "clilink", "c1").out().strip());
        assertEquals(0, json(ok("network", "inspect", "clilink", "--json")).path("endpoints").size());
        assertOneLineError(cli.run("unlink", "clilink", "c1"), "NO_SUCH_ENDPOINT");
        ok("network", "rm", "clilink");
    }

    @Test
    void namespaceCreateAddInterfaceInspectListRemove() throws Exception {
        ok("network", "create", "clins", "--subnet", "10.96.0.0/24", "--opt", "bridge.name=br-clins");
        String path = TestAgent.namespacePath("cli-ns");
        assertEquals(path, ok("ns", "create", path).out().strip());

        JsonNode placed = json(ok("ns", "add-interface", path, "clins", "web", "--dst", "eth5", "--json"));
        assertEquals(INTERFACE_FIELDS, fieldNames(placed));
        assertEquals("eth5", placed.path("dstName").asText());
        assertEquals("10.96.0.2/24", placed.path("address").asText());
        String second = ok("ns", "add-interface", path, "clins", "db").out();
        assertTrue(second.split("\n")[1].contains(" eth0 ") && second.contains("10.96.0.3/24"),
                "a bare prefix becomes eth0:\n" + second);

        String inspect = ok("ns", "inspect", path).out();
        assertTrue(inspect.contains("path:") && inspect.contains(path) && inspect.contains("eth5")
                && inspect.contains("eth0"), inspect);
        JsonNode info = json(ok("ns", "inspect", path, "--json"));
        assertEquals(path, info.path("path").asText());
        assertEquals("test-host", info.path("host").asText());
        assertEquals(2, info.path("interfaces").size());
        for (JsonNode i : info.path("interfaces")) {
            assertEquals(INTERFACE_FIELDS, fieldNames(i));
        }
        assertEquals(json(ok("ns", "inspect", "test-host:" + path, "--json")), info, "HOST:PATH names it too");

        String ls = ok("ns", "ls").out();
        assertTrue(ls.startsWith("HOST"), ls);
        String row = find(ls.split("\n"), "test-host  " + path);
        assertTrue(row.endsWith("eth5,eth0") || row.endsWith("eth0,eth5"), row);
        JsonNode all = json(ok("ns", "ls", "--json"));
        assertTrue(contains(all, "path", path), all.toString());

        assertTrue(ok("ns", "check", path).out().contains("the kernel matches the journal"));
        String nsName = Path.of(path).getFileName().toString();
        dev.netkeeper.testing.IpOracle.ipIn(nsName, "link", "set", "eth5", "down"); // someone changed it
        assertOneLineError(cli.run("ns", "check", path), "KERNEL_DIFFERS");
        assertTrue(cli.run("ns", "check", path).err().contains("eth5 in " + path + ": it is down"),
                cli.run("ns", "check", path).err());
        dev.netkeeper.testing.IpOracle.ipIn(nsName, "link", "set", "eth5", "up");

        JsonNode network = json(ok("network", "inspect", "clins", "--json"));
        for (JsonNode e : network.path("endpoints")) {
            assertEquals("test-host:" + path, e.path("namespace").asText(), e.toString());
        }

        assertEquals(path, ok("ns", "rm", path).out().strip());
        assertFalse(Files.exists(Path.of(path)), "the namespace is gone");
        assertOneLineError(cli.run("ns", "inspect", path), "NO_SUCH_NAMESPACE");
        assertFalse(contains(json(ok("ns", "ls", "--json")), "path", path));
        ok("network", "rm", "clins", "--force");
    }

    @Test
    void errorsAreOneLineWithTheirCode() {
        assertOneLineError(cli.run("network", "inspect", "no-such-net"), "NO_SUCH_NETWORK");
        assertOneLineError(cli.run("link", "no-such-net", "c1"), "NO_SUCH_NETWORK");
        assertOneLineError(cli.run("network", "rm", "no-such-net"), "NO_SUCH_NETWORK");
        assertOneLineError(cli.run("network", "create", "bad", "--subnet", "10.0.0.0/99"), "INVALID_OPTION");
        assertOneLineError(cli.run("network", "create", "bad", "--driver", "nope"), "UNKNOWN_DRIVER");
        assertOneLineError(cli.run("ns", "create", "/tmp/not-allowed"), "PATH_NOT_ALLOWED");
        CliRunner.Result json = cli.run("network", "inspect", "no-such-net", "--json");
        assertEquals("", json.out(), "nothing on stdout when it failed");
        assertOneLineError(json, "NO_SUCH_NETWORK");
    }

    @Test
    void usageErrorsExitTwoWithoutConnecting() {
        String[][] lines = {
                {"network", "create"},
                {"network", "create", "a", "b"},
                {"network", "frobnicate"},
                {"network"},
                {"frobnicate"},
                {"network", "ls", "--bogus"},
                {"network", "ls", "--force"},
                {"network", "create", "x", "--mtu", "many"},
                {"network", "create", "x", "--opt", "novalue"},
                {"link", "onlynetwork"},
                {"ns", "add-interface", "/var/run/netns/x", "net"},
                {"network", "ls", "--agent"},
        };
        for (String[] line : lines) {
            // an agent address nobody listens on: a usage error must be found before connecting
            List<String> args = new ArrayList<>(List.of(line));
            if (!args.contains("--agent")) {
                args.addAll(List.of("--agent", "127.0.0.1:1"));
            }
            long start = System.nanoTime();
            CliRunner.Result r = CliRunner.runRaw(args);
            assertEquals(2, r.code(), String.join(" ", line) + "\n" + r);
            assertTrue(r.err().startsWith("netkeeper: USAGE: "), r.toString());
            assertEquals(1, r.err().lines().count(), r.toString());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2_000, "no connection attempt");
        }
        CliRunner.Result badAgent = CliRunner.runRaw(List.of("network", "ls", "--agent", "nohostport"));
        assertEquals(2, badAgent.code(), badAgent.toString());
        CliRunner.Result help = CliRunner.runRaw(List.of("--help"));
        assertEquals(0, help.code());
        assertTrue(help.out().contains("netkeeper network create NAME"), help.out());
    }

    @Test
    void theSocketComesFromTheConfigWithoutSocketOrAgent() throws Exception {
        Path conf = Files.createTempFile("nk-cli-", ".conf");
        try {
            Files.writeString(conf, "netkeeper.api.socket = \"" + agent.socket() + "\"\n");
            CliRunner.Result r = CliRunner.runRaw(List.of("network", "ls", "--config", conf.toString(), "--json"));
            assertEquals(0, r.code(), r.toString());
            assertTrue(JSON.readTree(r.out()).isArray(), r.toString());
        } finally {
            Files.delete(conf);
        }
        CliRunner.Result missing = CliRunner.runRaw(List.of("network", "ls", "--config", "/nonexistent/netkeeper.conf"));
        assertEquals(2, missing.code(), missing.toString());
        assertTrue(missing.err().startsWith("netkeeper: USAGE: cannot read config file"), missing.toString());
    }

    @Test
    void launcherAsItsOwnProcess() throws Exception {
        ok("network", "create", "cliproc", "--subnet", "10.95.0.0/24", "--opt", "bridge.name=br-cliproc");
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("conf/logback.xml").toAbsolutePath(),
                "dev.netkeeper.cli.Main", "network", "ls", "--agent", address, "--tls",
                agent.clientCredentials("cli-proc").toString());
        Path stderr = Files.createTempFile("nk-cli-", ".err");
        pb.redirectError(stderr.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the CLI process ends");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String err = Files.readString(stderr);
        Files.delete(stderr);
        assertEquals(0, p.exitValue(), out + "\n" + err);
        assertTrue(out.startsWith("NAME"), out);
        assertTrue(find(out.split("\n"), "cliproc ").contains("10.95.0.0/24"), out);
        assertEquals("", err, "nothing on stderr");
        System.out.println("CLI process `network ls`: " + millis + " ms");
        ok("network", "rm", "cliproc");
    }

    @Test
    void portsArePublishedAtLinkAndLaterAndShownByInspect() throws Exception {
        ok("network", "create", "cliports", "--subnet", "10.97.0.0/24");
        String linked = ok("link", "cliports", "p1", "--publish", "18080:80", "--publish", "127.0.0.1::53/udp").out();
        assertTrue(linked.contains("0.0.0.0:18080->80/tcp"), linked);
        JsonNode now = json(ok("publish", "cliports", "p1", "18443:443", "--json"));
        assertEquals(3, now.size(), now.toString());
        assertOneLineError(cli.run("publish", "cliports", "p1", "18443:8443"), "PORT_IN_USE");
        assertOneLineError(cli.run("publish", "cliports", "p1", "18443"), "INVALID_OPTION");
        String left = ok("unpublish", "cliports", "p1", "18443/tcp").out();
        assertFalse(left.contains("18443"), left);
        String inspect = ok("network", "inspect", "cliports").out();
        assertTrue(inspect.contains("0.0.0.0:18080->80/tcp"), inspect);
        assertTrue(inspect.contains("127.0.0.1:"), inspect);
        ok("network", "rm", "cliports", "--force");
    }

    @Test
    void commandsForAHostWithNoAgentInTheClusterAreRefusedAtOnce() throws Exception {
        ok("network", "create", "clihosts", "--subnet", "10.93.0.0/24");
        assertOneLineError(cli.run("link", "clihosts", "c1", "--host", "nowhere"), "HOST_UNAVAILABLE");
        String path = TestAgent.namespacePath("clihost");
        CliRunner.Result create = cli.run("ns", "create", "nowhere:" + path);
        assertOneLineError(create, "HOST_UNAVAILABLE");
        assertTrue(create.err().contains("host nowhere is unavailable"), create.toString());
        assertOneLineError(cli.run("ns", "add-interface", "nowhere:" + path, "clihosts", "c1"), "HOST_UNAVAILABLE");
        assertFalse(Files.exists(Path.of(path)), "nothing made");
        assertEquals(0, json(ok("network", "inspect", "clihosts", "--json")).path("endpoints").size(),
                "nothing journaled");

        // this agent's own host named explicitly is the same as no host
        String host = agent.node().settings().hostId();
        JsonNode linked = json(ok("link", "clihosts", "c2", "--host", host, "--json"));
        assertEquals("10.93.0.2/24", linked.get(0).path("address").asText());
        String mine = TestAgent.namespacePath("clihost");
        ok("ns", "create", host + ":" + mine);
        JsonNode placed = json(ok("ns", "add-interface", host + ":" + mine, "clihosts", "c2", "--json"));
        assertEquals("eth0", placed.path("dstName").asText(), placed.toString());
        String[] inspect = ok("network", "inspect", "clihosts").out().split("\n");
        String header = find(inspect, "ENDPOINT ");
        assertTrue(header.matches("ENDPOINT\\s+HOST\\s+SRC\\s+.*NAMESPACE\\s+PORTS"), header);
        assertTrue(find(inspect, "c2 ").matches("c2\\s+" + host + "\\s+nkc.*"), String.join("\n", inspect));
        ok("ns", "rm", mine);
        ok("network", "rm", "clihosts", "--force");
    }

    @Test
    void hostsListsTheAgentsHostAsUp() throws Exception {
        String host = agent.node().settings().hostId();
        String[] table = ok("hosts").out().split("\n");
        assertTrue(table[0].matches("HOST\\s+STATUS\\s+AGENT"), table[0]);
        assertTrue(find(table, host + " ").matches(java.util.regex.Pattern.quote(host) + "\\s+up\\s+pekko://netkeeper@.*"),
                String.join("\n", table));
        JsonNode hosts = json(ok("hosts", "--json"));
        assertEquals(1, hosts.size(), hosts.toString());
        assertEquals(new TreeSet<>(List.of("host", "address", "status")), fieldNames(hosts.get(0)));
        assertEquals("up", hosts.get(0).path("status").asText());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static CliRunner.Result ok(String... words) {
        CliRunner.Result r = cli.run(words);
        assertEquals(0, r.code(), String.join(" ", words) + "\n" + r);
        assertEquals("", r.err(), r.toString());
        return r;
    }

    private static void assertOneLineError(CliRunner.Result r, String code) {
        assertNotEquals(0, r.code(), r.toString());
        assertNotEquals(2, r.code(), "not a usage error: " + r);
        assertTrue(r.err().startsWith("netkeeper: " + code + ": "), r.toString());
        assertEquals(1, r.err().lines().count(), "one line: " + r);
    }

    private static JsonNode json(CliRunner.Result r) throws Exception {
        return JSON.readTree(r.out());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static boolean contains(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return true;
            }
        }
        return false;
    }

    private static String find(String[] lines, String prefix) {
        for (String l : lines) {
            if (l.startsWith(prefix)) {
                return l;
            }
        }
        return fail("no line starts with '" + prefix + "' in:\n" + String.join("\n", lines));
    }
}
