package dev.netkeeper.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Docker plugin's door, called as dockerd calls it (POST JSON on its unix socket, here with curl): every answer a
 * JSON body; refusals in {@code Err} (network driver) or {@code Error} (IPAM) with netkeeper's code; pools journaled and
 * counted; a network on a pool adopts it and takes only the addresses dockerd asks for; nobody but root is served.
 */
class DockerPluginTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NETWORK_ID = "4f6c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7";
    private static final String ENDPOINT_ID = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    private static TestAgent agent;
    private static PluginSocket door;
    private static Path socket;

    @BeforeAll
    static void start() throws Exception {
        agent = TestAgent.start("dkplugin");
        socket = agent.dataDir().resolve("docker").resolve("netkeeper.sock");
        door = PluginSocket.start(agent.node(), socket);
    }

    @AfterAll
    static void stop() {
        door.close();
        agent.close();
    }

    /** What curl got: the HTTP status and the JSON body. */
    record Reply(int status, JsonNode body) {}

    static Reply call(List<String> prefix, String method, String body) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("curl", "-s", "--unix-socket", socket.toString(), "-X", "POST", "-w", "\n%{http_code}",
                "-H", "Accept: application/vnd.docker.plugins.v1.2+json", "--data-binary", body,
                "http://localhost/" + method));
        IpOracle.Result r = IpOracle.run(cmd.toArray(String[]::new));
        String out = r.stdout();
        int nl = out.lastIndexOf('\n');
        try {
            JsonNode json = nl <= 0 ? null : JSON.readTree(out.substring(0, nl));
            return new Reply(Integer.parseInt(out.substring(nl + 1).strip()), json);
        } catch (Exception e) {
            throw new AssertionError("not a JSON answer: " + out + r.stderr(), e);
        }
    }

    static JsonNode ok(String method, String body) {
        Reply r = call(List.of(), method, body);
        assertEquals(200, r.status(), method + ": " + r);
        assertTrue(!r.body().has("Err") && !r.body().has("Error"), method + " refused: " + r.body());
        return r.body();
    }

    static String refused(String method, String body, String field) {
        Reply r = call(List.of(), method, body);
        assertEquals(200, r.status(), method + ": " + r);
        assertTrue(r.body().has(field), method + " answers its refusal in " + field + ": " + r.body());
        return r.body().get(field).asText();
    }

    @Test
    void activationNamesBothDriversAndEveryReplyIsJson() {
        assertEquals("[\"NetworkDriver\",\"IpamDriver\"]", ok("Plugin.Activate", "").get("Implements").toString());
        assertEquals("local", ok("NetworkDriver.GetCapabilities", "{}").get("Scope").asText());
        assertEquals("local", ok("IpamDriver.GetDefaultAddressSpaces", "{}").get("LocalDefaultAddressSpace").asText());
        assertEquals("{}", ok("NetworkDriver.DiscoverNew", "{\"DiscoveryType\":1}").toString());
        assertEquals("{}", ok("NetworkDriver.Leave", "{\"NetworkID\":\"" + NETWORK_ID + "\",\"EndpointID\":\""
                + ENDPOINT_ID + "\"}").toString());
        assertTrue(refused("NetworkDriver.AllocateNetwork", "{}", "Err").startsWith("NOT_SUPPORTED: "));
        assertTrue(refused("NetworkDriver.CreateNetwork", "{not json", "Err").startsWith("INVALID_REQUEST: "));
        assertTrue(refused("NetworkDriver.CreateEndpoint", "{\"NetworkID\":\"../../x\",\"EndpointID\":\"e\"}", "Err")
                .startsWith("INVALID_REQUEST: NetworkID '../../x' is not a Docker id"));
        assertTrue(refused("IpamDriver.RequestAddress", "{\"PoolID\":\"nk:192.0.2.0/24\"}", "Error")
                .startsWith("NO_SUCH_POOL: "));
    }

    @Test
    void poolsAreCountedAndNeverOverlap() {
        JsonNode first = ok("IpamDriver.RequestPool", "{\"AddressSpace\":\"local\",\"Pool\":\"10.93.0.0/24\",\"V6\":false}");
        JsonNode again = ok("IpamDriver.RequestPool", "{\"AddressSpace\":\"local\",\"Pool\":\"10.93.0.0/24\",\"V6\":false}");
        String id = first.get("PoolID").asText();
        assertEquals(id, again.get("PoolID").asText(), "the same request is the same pool");
        assertTrue(refused("IpamDriver.RequestPool", "{\"Pool\":\"10.93.0.0/16\"}", "Error").startsWith("SUBNET_OVERLAP: "));
        // the first default pool is taken by a route of the host: an automatic pool avoids it
        String hostNs = agent.host().name();
        IpOracle.ipIn(hostNs, "link", "add", "tstroute0", "type", "veth", "peer", "name", "tstroute1");
        IpOracle.ipIn(hostNs, "addr", "add", "172.17.0.1/16", "dev", "tstroute0");
        IpOracle.ipIn(hostNs, "link", "set", "tstroute0", "up");
        IpOracle.ipIn(hostNs, "link", "set", "tstroute1", "up");
        JsonNode auto;
        try {
            auto = ok("IpamDriver.RequestPool", "{\"AddressSpace\":\"local\",\"Pool\":\"\",\"V6\":false}");
        } finally {
            IpOracle.ipIn(hostNs, "link", "del", "tstroute0");
        }
        assertNotEquals(id, auto.get("PoolID").asText(), "an automatic pool is another one");
        assertTrue(!auto.get("Pool").asText().startsWith("172.17."), "away from the host's route: " + auto);
        String autoPool = auto.get("Pool").asText();
        String inside = autoPool.substring(0, autoPool.indexOf('/')) + "/28";
        assertTrue(refused("IpamDriver.RequestPool", "{\"Pool\":\"" + inside + "\"}", "Error")
                .startsWith("SUBNET_OVERLAP: "), "the automatic pool is held as any other");

        String gw = ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\",\"Address\":\"\",\"Options\":"
                + "{\"RequestAddressType\":\"com.docker.network.gateway\"}}").get("Address").asText();
        assertEquals("10.93.0.1/24", gw);
        String a = ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\",\"Address\":\"\"}").get("Address").asText();
        assertEquals("10.93.0.2/24", a);
        assertTrue(refused("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\",\"Address\":\"10.93.0.2\"}", "Error")
                .startsWith("ADDRESS_IN_USE: "), "an address handed out is not handed out twice");
        assertEquals("10.93.0.3/24", ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\",\"Address\":\"10.93.0.3\"}")
                .get("Address").asText(), "an address asked for");

        // a netkeeper network may not take the pool's subnet (only a Docker network adopts it)
        NetkeeperException overlap = assertThrows(NetkeeperException.class, () -> agent.client().newNetwork(
                "bridge", "plain93", dev.netkeeper.api.NetworkOptions.builder().subnet("10.93.0.0/24").build()));
        assertEquals(dev.netkeeper.api.ErrorCode.SUBNET_OVERLAP, overlap.code(), overlap.getMessage());

        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + id + "\"}");
        assertTrue(refused("IpamDriver.RequestPool", "{\"Pool\":\"10.93.0.0/16\"}", "Error").startsWith("SUBNET_OVERLAP: "),
                "held twice, released once: still there");
        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + id + "\"}");
        assertTrue(refused("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\"}", "Error").startsWith("NO_SUCH_POOL: "),
                "released as often as held: gone with its addresses");
        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + auto.get("PoolID").asText() + "\"}");
    }

    /** dockerd's order: pool, gateway, network, address, endpoint, join; then back again, each call repeatable. */
    @Test
    void aDockerNetworkAdoptsItsPoolAndTakesOnlyTheAddressesDockerAsksFor() {
        String id = ok("IpamDriver.RequestPool", "{\"Pool\":\"10.94.0.0/24\"}").get("PoolID").asText();
        ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\",\"Options\":"
                + "{\"RequestAddressType\":\"com.docker.network.gateway\"}}");
        String create = "{\"NetworkID\":\"" + NETWORK_ID + "\",\"Options\":{\"com.docker.network.enable_ipv6\":false,"
                + "\"com.docker.network.generic\":{\"com.docker.network.driver.mtu\":\"1400\"}},"
                + "\"IPv4Data\":[{\"AddressSpace\":\"local\",\"Gateway\":\"10.94.0.1/24\",\"Pool\":\"10.94.0.0/24\"}],"
                + "\"IPv6Data\":[]}";
        ok("NetworkDriver.CreateNetwork", create);
        ok("NetworkDriver.CreateNetwork", create); // dockerd's retry
        String network = "docker-" + NETWORK_ID.substring(0, 12);
        assertEquals(1400, join(agent.node().submit(new Request.GetNetwork(network))).mtu());
        assertTrue(refused("NetworkDriver.CreateNetwork", create.replace("com.docker.network.driver.mtu", "frobnicate"),
                "Err").startsWith("INVALID_OPTION: option frobnicate"));

        // a link that asks for no address is refused: the pool's addresses are Docker's to hand out
        NetkeeperException unasked = assertThrows(NetkeeperException.class, () -> agent.client().network(network)
                .link("stray"));
        assertEquals(dev.netkeeper.api.ErrorCode.INVALID_OPTION, unasked.code(), unasked.getMessage());

        String address = ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + id + "\"}").get("Address").asText();
        String endpoint = "{\"NetworkID\":\"" + NETWORK_ID + "\",\"EndpointID\":\"" + ENDPOINT_ID + "\",\"Interface\":"
                + "{\"Address\":\"" + address + "\",\"AddressIPv6\":\"\",\"MacAddress\":\"\"},\"Options\":{}}";
        JsonNode created = ok("NetworkDriver.CreateEndpoint", endpoint);
        String mac = created.path("Interface").path("MacAddress").asText();
        assertTrue(mac.matches("([0-9a-f]{2}:){5}[0-9a-f]{2}"), "the MAC dockerd did not choose: " + created);
        assertTrue(created.path("Interface").path("Address").isMissingNode(), "an address dockerd gave is not answered");
        assertEquals(mac, ok("NetworkDriver.CreateEndpoint", endpoint).path("Interface").path("MacAddress").asText(),
                "a repeated CreateEndpoint is the same endpoint");
        JsonNode joined = ok("NetworkDriver.Join", endpoint.replace("\"Options\"", "\"SandboxKey\":\"/var/run/docker/netns/x\","
                + "\"Options\""));
        String src = joined.path("InterfaceName").path("SrcName").asText();
        assertEquals("eth", joined.path("InterfaceName").path("DstPrefix").asText());
        assertEquals("10.94.0.1", joined.path("Gateway").asText());
        assertTrue(IpOracle.linkNames(agent.host().name()).contains(src), "SrcName is in the host for dockerd to move: "
                + src);

        ok("NetworkDriver.DeleteEndpoint", endpoint);
        ok("NetworkDriver.DeleteEndpoint", endpoint); // stale or repeated: nothing left to do
        assertTrue(!IpOracle.linkNames(agent.host().name()).contains(src), "the pair is deleted");
        ok("IpamDriver.ReleaseAddress", "{\"PoolID\":\"" + id + "\",\"Address\":\"" + address.split("/")[0] + "\"}");
        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + id + "\"}");
        ok("NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"" + NETWORK_ID + "\"}");
        ok("NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"" + NETWORK_ID + "\"}");
    }

    /** docker network create --ipv6: a pool of each family, both gateways, an endpoint with both addresses. */
    @Test
    void anIpv6NetworkGetsBothFamilies() {
        String netId = "7a" + NETWORK_ID.substring(2);
        String epId = "7b" + ENDPOINT_ID.substring(2);
        String v4 = ok("IpamDriver.RequestPool", "{\"Pool\":\"10.96.0.0/24\",\"V6\":false}").get("PoolID").asText();
        JsonNode v6pool = ok("IpamDriver.RequestPool", "{\"Pool\":\"fd00:96::/64\",\"V6\":true}");
        String v6 = v6pool.get("PoolID").asText();
        assertTrue(refused("IpamDriver.RequestPool", "{\"Pool\":\"fd00:97::/64\",\"V6\":false}", "Error")
                .startsWith("INVALID_OPTION: "), "a pool of the other family than asked");
        String gw = "{\"RequestAddressType\":\"com.docker.network.gateway\"}";
        ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + v4 + "\",\"Options\":" + gw + "}");
        assertEquals("fd00:96::1/64", ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + v6 + "\",\"Options\":" + gw + "}")
                .get("Address").asText());
        ok("NetworkDriver.CreateNetwork", "{\"NetworkID\":\"" + netId + "\",\"Options\":{\"com.docker.network.enable_ipv6\":"
                + "true},\"IPv4Data\":[{\"Gateway\":\"10.96.0.1/24\",\"Pool\":\"10.96.0.0/24\"}],"
                + "\"IPv6Data\":[{\"Gateway\":\"fd00:96::1/64\",\"Pool\":\"fd00:96::/64\"}]}");
        String a4 = ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + v4 + "\"}").get("Address").asText();
        String a6 = ok("IpamDriver.RequestAddress", "{\"PoolID\":\"" + v6 + "\"}").get("Address").asText();
        assertEquals("fd00:96::2/64", a6);
        String endpoint = "{\"NetworkID\":\"" + netId + "\",\"EndpointID\":\"" + epId + "\",\"Interface\":"
                + "{\"Address\":\"" + a4 + "\",\"AddressIPv6\":\"" + a6 + "\",\"MacAddress\":\"02:42:0a:60:00:02\"}}";
        JsonNode created = ok("NetworkDriver.CreateEndpoint", endpoint);
        assertEquals("{}", created.path("Interface").toString(), "dockerd chose everything: nothing answered");
        JsonNode joined = ok("NetworkDriver.Join", endpoint);
        assertEquals("fd00:96::1", joined.path("GatewayIPv6").asText());
        dev.netkeeper.api.NetworkInfo info = join(agent.node().submit(new Request.GetNetwork("docker-" + netId.substring(0, 12))));
        assertEquals(a6, info.endpoints().get(0).interfaces().get(0).addressIPv6());
        assertEquals("02:42:0a:60:00:02", info.endpoints().get(0).interfaces().get(0).macAddress());
        ok("NetworkDriver.DeleteEndpoint", endpoint);
        ok("NetworkDriver.DeleteNetwork", "{\"NetworkID\":\"" + netId + "\"}");
        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + v4 + "\"}");
        ok("IpamDriver.ReleasePool", "{\"PoolID\":\"" + v6 + "\"}");
    }

    /** Root only: refused by the socket's mode, and by the peer check if the mode is widened. */
    @Test
    void aCallerThatIsNotRootIsRefused() throws Exception {
        List<String> nobody = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        Path data = agent.dataDir();
        String before = PosixFilePermissions.toString(Files.getPosixFilePermissions(data));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            IpOracle.Result byMode = IpOracle.run("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "curl", "-s", "--unix-socket", socket.toString(), "-X", "POST", "http://localhost/Plugin.Activate");
            assertNotEquals(0, byMode.exitCode(), "nobody cannot even connect: " + byMode.stdout());
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Reply byPeer = call(nobody, "IpamDriver.RequestPool", "{\"Pool\":\"10.95.0.0/24\"}");
            assertEquals(403, byPeer.status(), byPeer.toString());
            assertTrue(byPeer.body().get("Err").asText().startsWith("PERMISSION_DENIED: user nobody"), byPeer.toString());
            assertTrue(refused("IpamDriver.RequestAddress", "{\"PoolID\":\"nk:10.95.0.0/24\"}", "Error")
                    .startsWith("NO_SUCH_POOL"), "nothing was reserved for nobody");
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(before));
        }
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw NetkeeperException.of(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
