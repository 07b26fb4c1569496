package dev.netkeeper.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The local API over its real unix socket, called with curl as an operator or a runtime would: every route,
 * the typed errors and their statuses, paging, a retried request id, the caller recorded as the origin, a
 * caller that is not root refused (by the socket's mode, and by the agent itself when the mode is widened),
 * health, readiness and metrics.
 */
class LocalApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestAgent agent;
    private static Path socket;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("http");
        socket = agent.socket();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** curl over the socket, as {@code prefix} (e.g. setpriv as another user) when given. */
    static Reply curl(List<String> prefix, String method, String path, String body, String... headers) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("curl", "-s", "--unix-socket", socket.toString(), "-X", method, "-w", "\n%{http_code}"));
        for (String h : headers) {
            cmd.addAll(List.of("-H", h));
        }
        if (body != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        cmd.add("http://localhost" + path);
        IpOracle.Result r = IpOracle.run(cmd.toArray(new String[0]));
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        int status = cut < 0 ? 0 : Integer.parseInt(out.substring(cut + 1).strip());
        return new Reply(status, cut < 0 ? out : out.substring(0, cut));
    }

    static Reply curl(String method, String path, String body, String... headers) {
        return curl(List.of(), method, path, body, headers);
    }

    static Reply expect(int status, Reply r) {
        assertEquals(status, r.status(), r.toString());
        return r;
    }

    @Test
    void everyResourceThroughTheSocket() {
        String path = TestAgent.namespacePath("httpns");
        JsonNode net = expect(201, curl("POST", "/v1/networks",
                "{\"name\": \"httpnet\", \"driver\": \"bridge\", \"options\": {\"subnet\": \"10.87.0.0/24\", \"mtu\": 1400}}")).json();
        assertEquals("10.87.0.0/24", net.path("subnet").asText(), net.toString());
        assertEquals(1400, net.path("mtu").asInt());
        assertTrue(expect(200, curl("GET", "/v1/networks", null)).json().path("names").toString().contains("httpnet"));
        assertEquals("10.87.0.1", expect(200, curl("GET", "/v1/networks/httpnet", null)).json().path("gateway").asText());

        // a Link; its retry with the same request id is answered, not applied again
        JsonNode linked = expect(201, curl("POST", "/v1/networks/httpnet/endpoints", "{\"name\": \"c1\"}",
                "Netkeeper-Request-Id: link-c1-once")).json();
        JsonNode iface = linked.path("interfaces").get(0);
        assertEquals("10.87.0.2/24", iface.path("address").asText(), linked.toString());
        assertEquals(linked, expect(201, curl("POST", "/v1/networks/httpnet/endpoints", "{\"name\": \"c1\"}",
                "Netkeeper-Request-Id: link-c1-once")).json());
        assertEquals(1, expect(200, curl("GET", "/v1/networks/httpnet", null)).json().path("endpointCount").asInt());
        assertEquals("c1", expect(200, curl("GET", "/v1/networks/httpnet/endpoints/c1", null)).json().path("name").asText());

        expect(201, curl("POST", "/v1/namespaces", "{\"path\": \"" + path + "\"}"));
        assertTrue(expect(200, curl("GET", "/v1/namespaces", null)).json().path("names").toString().contains(path));
        JsonNode added = expect(201, curl("POST", "/v1/namespace/interfaces?path=" + path, iface.toString())).json();
        assertEquals("eth0", added.path("iface").path("dstName").asText(), added.toString());
        String ns = Path.of(path).getFileName().toString();
        assertTrue(IpOracle.addressesOf(ns, "eth0").contains("10.87.0.2/24"), "placed in the kernel");
        assertEquals("eth0", expect(200, curl("GET", "/v1/namespace?path=" + path, null)).json()
                .path("interfaces").get(0).path("dstName").asText());

        expect(200, curl("DELETE", "/v1/namespace/interfaces?path=" + path + "&dstName=eth0", null));
        assertEquals(List.of("lo"), IpOracle.linkNames(ns));
        expect(200, curl("DELETE", "/v1/networks/httpnet/endpoints/c1", null));
        expect(200, curl("DELETE", "/v1/namespace?path=" + path, null));
        assertTrue(!Files.exists(Path.of(path)), "the namespace is gone");

        assertEquals("test-host", expect(200, curl("GET", "/v1/hosts", null)).json().path("hosts").get(0).path("host").asText());
        assertEquals("test-host", expect(200, curl("GET", "/v1/agent", null)).json().path("hostId").asText());
        JsonNode audit = expect(200, curl("GET", "/v1/audit?network=httpnet", null)).json();
        assertTrue(audit.path("records").size() >= 3, audit.toString());
        for (JsonNode record : audit.path("records")) {
            String origin = record.path("origin").asText();
            assertTrue(origin.equals("unix:root") || origin.equals("agent"), "the socket's caller is the origin: " + record);
        }
        expect(200, curl("GET", "/v1/audit/state-at?network=httpnet", null));

        expect(200, curl("DELETE", "/v1/networks/httpnet", null));
        JsonNode gone = expect(404, curl("GET", "/v1/networks/httpnet", null)).json();
        assertEquals("NO_SUCH_NETWORK", gone.path("code").asText(), gone.toString());
    }

    @Test
    void refusalsAreTypedWithTheirStatus() {
        assertEquals("INVALID_OPTION", expect(400, curl("POST", "/v1/networks",
                "{\"name\": \"httpbad\", \"options\": {\"subnet\": \"10.300.0.0/24\"}}")).json().path("code").asText());
        JsonNode misspelt = expect(400, curl("POST", "/v1/networks",
                "{\"name\": \"httpbad\", \"options\": {\"subnett\": \"10.86.0.0/24\"}}")).json();
        assertEquals("INVALID_OPTION", misspelt.path("code").asText(), "a misspelt option is refused, never ignored");
        assertTrue(misspelt.path("message").asText().contains("subnett"), misspelt.toString());
        assertEquals("INVALID_REQUEST", expect(400, curl("POST", "/v1/networks", "not json")).json().path("code").asText());
        expect(201, curl("POST", "/v1/networks", "{\"name\": \"httpdup\", \"options\": {\"subnet\": \"10.85.0.0/24\"}}"));
        assertEquals("NETWORK_EXISTS", expect(409, curl("POST", "/v1/networks",
                "{\"name\": \"httpdup\", \"options\": {\"subnet\": \"10.84.0.0/24\"}}")).json().path("code").asText());
        assertEquals("INVALID_REQUEST", expect(400, curl("GET", "/v1/namespace", null)).json().path("code").asText(),
                "no path");
        expect(404, curl("GET", "/v1/nothing", null));
        expect(405, curl("PUT", "/v1/networks", "{}"));
        expect(200, curl("DELETE", "/v1/networks/httpdup", null));
    }

    @Test
    void listsPage() {
        for (String n : List.of("httppa", "httppb", "httppc")) {
            expect(201, curl("POST", "/v1/networks", "{\"name\": \"" + n + "\", \"driver\": \"null\"}"));
        }
        JsonNode first = expect(200, curl("GET", "/v1/networks?limit=2&after=httpp", null)).json();
        assertEquals("[\"httppa\",\"httppb\"]", first.path("names").toString(), first.toString());
        JsonNode second = expect(200, curl("GET", "/v1/networks?limit=2&after=" + first.path("next").asText(), null)).json();
        assertEquals("httppc", second.path("names").get(0).asText(), second.toString());
        for (String n : List.of("httppa", "httppb", "httppc")) {
            expect(200, curl("DELETE", "/v1/networks/" + n, null));
        }
    }

    @Test
    void anyPublicRequestAsItIsOnTheWire() {
        JsonNode reply = expect(200, curl("POST", "/v1/call", "{\"@request\": \"agent.describe\"}")).json();
        assertEquals("test-host", reply.path("reply").path("hostId").asText(), reply.toString());
        assertEquals("INVALID_REQUEST", expect(400, curl("POST", "/v1/call", "{\"@request\": \"kernel.run\"}"))
                .json().path("code").asText(), "only public requests: no type name outside api/");
    }

    /** Root and the netkeeper group only: refused by the socket's mode, and by the agent if the mode is opened. */
    @Test
    void aCallerThatIsNotRootIsRefused() throws Exception {
        List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        Path dir = socket.getParent();
        Path data = dir.getParent();
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x")); // only the API's own modes guard
        try {
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            Reply byMode = curl(nobody, "GET", "/v1/agent", null);
            assertEquals(0, byMode.status(), "nobody cannot even connect: " + byMode);

            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            JsonNode refused = expect(403, curl(nobody, "GET", "/v1/networks", null)).json();
            assertEquals("PERMISSION_DENIED", refused.path("code").asText(), refused.toString());
            assertTrue(refused.path("message").asText().contains("nobody"), refused.toString());
            expect(403, curl(nobody, "POST", "/v1/networks", "{\"name\": \"bynobody\", \"driver\": \"null\"}"));
            expect(404, curl("GET", "/v1/networks/bynobody", null)); // nothing was made
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** {@code ?follow}: what was journaled, then new changes as they come, one JSON record per line. */
    @Test
    void theAuditTrailFollows() throws Exception {
        expect(201, curl("POST", "/v1/networks", "{\"name\": \"httpfollow\", \"driver\": \"null\"}"));
        Process follow = new ProcessBuilder("curl", "-s", "-N", "--max-time", "4", "--unix-socket", socket.toString(),
                "http://localhost/v1/audit?follow&network=httpfollow").redirectErrorStream(true).start();
        Thread.sleep(1500);
        expect(201, curl("POST", "/v1/networks/httpfollow/endpoints", "{\"name\": \"late\"}"));
        String out = new String(follow.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        follow.waitFor();
        List<String> events = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                events.add(JSON.readTree(line).path("event").asText());
            }
        }
        assertEquals(List.of("NetworkCreated", "EndpointAllocated"), events, out);
        expect(200, curl("DELETE", "/v1/networks/httpfollow?force=true", null));
    }

    @Test
    void healthReadinessAndMetrics() {
        assertEquals("alive", expect(200, curl("GET", "/healthz", null)).json().path("status").asText());
        JsonNode ready = expect(200, curl("GET", "/readyz", null)).json();
        assertEquals("ok", ready.path("journal").asText(), ready.toString());
        assertEquals("ok", ready.path("cluster").asText(), ready.toString());
        assertEquals("ok", ready.path("netlink").asText(), ready.toString());

        double before = created(curl("GET", "/metrics", null).body());
        expect(201, curl("POST", "/v1/networks", "{\"name\": \"httpmetrics\", \"driver\": \"null\"}"));
        expect(201, curl("POST", "/v1/networks/httpmetrics/endpoints", "{\"name\": \"c1\"}"));
        Reply metrics = expect(200, curl("GET", "/metrics", null));
        assertEquals(before + 1, created(metrics.body()), "the counter moved with the command");
        assertTrue(metrics.body().contains("netkeeper_network_endpoints{network=\"httpmetrics\"} 1.0"), "endpoints per network");
        assertTrue(metrics.body().contains("netkeeper_entities{type=\"network\"}"), "entities alive");
        assertTrue(metrics.body().contains("netkeeper_journal_write_seconds_count{event=\"EndpointAllocated\"}"),
                "journal writes are timed");
        assertTrue(metrics.body().contains("# TYPE netkeeper_commands_seconds histogram"), "Prometheus text");
        assertTrue(metrics.body().contains("netkeeper_kernel_task_seconds_count{"), "kernel tasks are timed");
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), "and the JVM");
        for (String line : metrics.body().split("\n")) {
            assertTrue(line.isEmpty() || line.startsWith("#") || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*})? \\S+"),
                    "a Prometheus sample line: " + line);
        }
        expect(200, curl("DELETE", "/v1/networks/httpmetrics?force=true", null));
    }

    private static final Pattern CREATED = Pattern.compile(
            "netkeeper_commands_seconds_count\\{outcome=\"ok\",request=\"network.create\"} (\\S+)");

    private static double created(String metrics) {
        Matcher m = CREATED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void theAgentsOwnClientSpeaksTheSocket() {
        try (var nk = dev.netkeeper.client.NetkeeperClient.overSocket(socket,
                dev.netkeeper.client.ClientSettings.defaults().withPrincipal("ops"))) {
            assertEquals("test-host", nk.host());
            nk.newNetwork("null", "httpclient", dev.netkeeper.api.NetworkOptions.builder().build());
            nk.network("httpclient").link("c1");
            assertEquals(1, nk.networkInfo("httpclient").endpointCount());
            dev.netkeeper.api.NetkeeperException e = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.netkeeper.api.NetkeeperException.class, () -> nk.networkInfo("nosuchnet"));
            assertEquals(dev.netkeeper.api.ErrorCode.NO_SUCH_NETWORK, e.code());
            nk.network("httpclient").delete(true);
        }
        JsonNode audit = expect(200, curl("GET", "/v1/audit?network=httpclient", null)).json();
        assertEquals("unix:root as ops", audit.path("records").get(0).path("origin").asText(), audit.toString());
    }
}
