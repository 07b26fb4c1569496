package dev.netkeeper.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/** {@code netkeeper audit}: the changes of a network, time windows, --follow and --state-at. */
class CliAuditTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestAgent agent;
    private static CliRunner cli;

    @BeforeAll
    static void startAgent() {
        agent = TestAgent.start("cliaudit");
        cli = CliRunner.overSocket(agent.socket());
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void listsTheChangesOfANetworkWithWhoAndWhen() throws Exception {
        long before = System.currentTimeMillis();
        ok("network", "create", "audnet", "--subnet", "10.91.0.0/24", "--opt", "bridge.name=br-audnet",
                "--principal", "alice");
        ok("link", "audnet", "e1", "--principal", "bob");
        ok("unlink", "audnet", "e1", "--principal", "bob");
        ok("network", "create", "audother", "--subnet", "10.92.0.0/24", "--opt", "bridge.name=br-audother");

        JsonNode records = json(ok("audit", "--network", "audnet", "--json"));
        List<String> events = new ArrayList<>();
        long lastOffset = 0;
        for (JsonNode r : records) {
            assertEquals("network", r.path("entityType").asText(), r.toString());
            assertEquals("audnet", r.path("entityId").asText(), r.toString());
            assertTrue(r.path("offset").asLong() > lastOffset, "in journal order: " + records);
            lastOffset = r.path("offset").asLong();
            assertTrue(r.path("atMillis").asLong() >= before, r.toString());
            assertFalse(r.path("requestId").asText().isEmpty(), r.toString());
            events.add(r.path("event").asText());
        }
        assertEquals(List.of("NetworkCreated", "EndpointAllocated", "EndpointReleased"), events, records.toString());
        assertTrue(records.get(0).path("origin").asText().endsWith(" as alice"), records.get(0).toString());
        assertTrue(records.get(1).path("origin").asText().endsWith(" as bob"), records.get(1).toString());
        assertTrue(records.get(1).path("change").asText().contains("e1"), records.get(1).toString());

        String table = ok("audit", "--network", "audnet").out();
        String[] lines = table.split("\n");
        assertTrue(lines[0].matches("OFFSET\\s+TIME\\s+TYPE\\s+ENTITY\\s+EVENT\\s+ORIGIN\\s+CHANGE"), table);
        assertEquals(4, lines.length, table);
        assertTrue(lines[1].contains("network") && lines[1].contains("audnet") && lines[1].contains("NetworkCreated")
                && lines[1].contains(" as alice"), table);
        assertEquals(lines[0].indexOf("EVENT"), lines[2].indexOf("EndpointAllocated"), "aligned:\n" + table);

        JsonNode everything = json(ok("audit", "--json"));
        assertTrue(size(everything, r -> r.path("entityId").asText().equals("audother")) >= 1, everything.toString());
        assertTrue(everything.size() >= records.size() + 1);

        long future = System.currentTimeMillis() + 3_600_000;
        assertEquals(0, json(ok("audit", "--network", "audnet", "--since", Long.toString(future), "--json")).size());
        assertEquals(0, json(ok("audit", "--network", "audnet", "--until",
                Instant.ofEpochMilli(before - 60_000).toString(), "--json")).size());
        assertEquals(3, json(ok("audit", "--network", "audnet", "--since", "-10m", "--until", "now", "--json")).size());
        ok("network", "rm", "audother");
    }

    @Test
    void namespaceFilterAndStateAt() throws Exception {
        ok("network", "create", "audns", "--subnet", "10.90.0.0/24", "--opt", "bridge.name=br-audns");
        String path = TestAgent.namespacePath("cli-aud");
        ok("ns", "create", path);
        Thread.sleep(20);
        long beforeAdd = System.currentTimeMillis();
        Thread.sleep(20);
        ok("ns", "add-interface", path, "audns", "web");

        JsonNode nsRecords = json(ok("audit", "--namespace", path, "--json"));
        List<String> events = new ArrayList<>();
        nsRecords.forEach(r -> events.add(r.path("event").asText()));
        assertEquals(List.of("NamespaceCreated", "InterfaceAdded"), events, nsRecords.toString());
        nsRecords.forEach(r -> assertEquals("namespace", r.path("entityType").asText()));

        JsonNode then = json(ok("audit", "--state-at", Instant.ofEpochMilli(beforeAdd).toString(), "--json"));
        assertEquals(beforeAdd, then.path("atMillis").asLong());
        JsonNode net = find(then.path("networks"), "name", "audns");
        assertEquals(0, net.path("endpoints").size(), "not linked yet: " + net);
        assertEquals(0, find(then.path("namespaces"), "path", path).path("interfaces").size());

        JsonNode now = json(ok("audit", "--state-at", "now", "--network", "audns", "--json"));
        assertEquals(1, now.path("networks").size(), now.toString());
        assertEquals(1, now.path("networks").get(0).path("endpoints").size(), now.toString());
        assertEquals(1, now.path("namespaces").size(), "only the namespaces holding its interfaces: " + now);
        assertEquals("eth0", now.path("namespaces").get(0).path("interfaces").get(0).path("dstName").asText());

        String text = ok("audit", "--state-at", Long.toString(System.currentTimeMillis()), "--network", "audns").out();
        assertTrue(text.startsWith("networks at "), text);
        assertTrue(text.contains("audns") && text.contains(path), text);

        assertEquals(2, cli.run("audit", "--state-at", "yesterday-ish").code());
        assertEquals(2, cli.run("audit", "--state-at", "now", "--follow").code());
        assertEquals(2, cli.run("audit", "--since", "-1m", "--until", "-1h").code());
        ok("ns", "rm", path);
        ok("network", "rm", "audns", "--force");
    }

    @Test
    void followPrintsNewChangesUntilInterrupted() throws Exception {
        ok("network", "create", "audflw", "--subnet", "10.89.0.0/24", "--opt", "bridge.name=br-audflw");
        SyncBuffer out = new SyncBuffer();
        SyncBuffer err = new SyncBuffer();
        AtomicInteger code = new AtomicInteger(-1);
        List<String> args = new ArrayList<>(List.of("audit", "--network", "audflw", "--follow", "--json"));
        args.addAll(cli.agentArgs());
        Thread follower = new Thread(() -> code.set(Main.run(args, out.stream(), err.stream())), "cli-follow");
        follower.start();
        try {
            awaitText(out, "NetworkCreated");
            ok("link", "audflw", "late1");
            ok("link", "audflw", "late2");
            awaitText(out, "late2");
        } finally {
            follower.interrupt();
            follower.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertFalse(follower.isAlive(), "follow stops when interrupted");
        assertEquals(0, code.get(), err.text());
        assertEquals("", err.text());
        List<String> events = new ArrayList<>();
        for (String line : out.text().split("\n")) {
            JsonNode r = JSON.readTree(line); // one JSON record per line
            assertEquals("audflw", r.path("entityId").asText());
            events.add(r.path("event").asText());
        }
        assertEquals(List.of("NetworkCreated", "EndpointAllocated", "EndpointAllocated"), events, out.text());
        ok("network", "rm", "audflw", "--force");
    }

    @Test
    void followAsATable() throws Exception {
        ok("network", "create", "audtab", "--subnet", "10.88.0.0/24", "--opt", "bridge.name=br-audtab");
        SyncBuffer out = new SyncBuffer();
        SyncBuffer err = new SyncBuffer();
        List<String> args = new ArrayList<>(List.of("audit", "--follow", "--network", "audtab"));
        args.addAll(cli.agentArgs());
        Thread follower = new Thread(() -> Main.run(args, out.stream(), err.stream()), "cli-follow-table");
        follower.start();
        try {
            awaitText(out, "NetworkCreated");
            ok("link", "audtab", "t1");
            awaitText(out, "EndpointAllocated");
        } finally {
            follower.interrupt();
            follower.join(TimeUnit.SECONDS.toMillis(20));
        }
        String[] lines = out.text().split("\n");
        assertEquals(3, lines.length, out.text());
        assertTrue(lines[0].startsWith("OFFSET"), out.text());
        assertEquals(lines[0].indexOf("EVENT"), lines[2].indexOf("EndpointAllocated"), "same columns:\n" + out.text());
        ok("network", "rm", "audtab", "--force");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** A PrintStream whose text other threads may read while it is written. */
    private static final class SyncBuffer {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // synchronized methods
        private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        PrintStream stream() {
            return stream;
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private static void awaitText(SyncBuffer out, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!out.text().contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' in:\n" + out.text());
            Thread.sleep(50);
        }
    }

    private static CliRunner.Result ok(String... words) {
        CliRunner.Result r = cli.run(words);
        assertEquals(0, r.code(), String.join(" ", words) + "\n" + r);
        assertEquals("", r.err(), r.toString());
        return r;
    }

    private static JsonNode json(CliRunner.Result r) throws Exception {
        return JSON.readTree(r.out());
    }

    private static int size(JsonNode array, Predicate<JsonNode> p) {
        int n = 0;
        for (JsonNode x : array) {
            n += p.test(x) ? 1 : 0;
        }
        return n;
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        return fail("no " + field + "=" + value + " in " + array);
    }
}
