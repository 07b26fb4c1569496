package dev.netkeeper.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.CniShim;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.NsSockets;
import dev.netkeeper.testing.Podman;
import dev.netkeeper.testing.ThrowawayNamespace;
import dev.netkeeper.testing.Uplink;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real runtime: Debian's Podman 4.3 with its CNI backend runs containers on a netkeeper network through the
 * installed plugin, against an agent in its own JVM (so that it can be SIGKILLed), all inside a throwaway host
 * namespace joined to an "outside" one. Two containers ping each other, a published port is reached from the
 * outside, the agent is killed while a container runs and comes back, and {@code podman rm -f} leaves nothing.
 */
class PodmanTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void podmanRunsContainersOnANetkeeperNetwork() throws Exception {
        Path data = Files.createTempDirectory("nk-podman-agent-");
        Path podDir = Files.createTempDirectory("nk-podman-");
        try (ThrowawayNamespace host = ThrowawayNamespace.create("podhost");
             ThrowawayNamespace outside = ThrowawayNamespace.create("podout")) {
            Uplink.join(host.name(), outside.name());
            AgentChild agent = new AgentChild(host.path(), data, AgentChild.freePort()).start();
            Path socket = data.resolve("run").resolve("netkeeper.sock");
            String conflist = JSON.writeValueAsString(Map.of("cniVersion", "1.0.0", "name", "nkpod", "plugins", List.of(
                    Map.of("type", "netkeeper", "subnet", "10.89.0.0/24", "socket", socket.toString(),
                            "spool", data.resolve("cni-spool").toString(),
                            "capabilities", Map.of("portMappings", true)))));
            try (Podman podman = Podman.in(host.path(), podDir, Map.of("nkpod.conflist", conflist),
                    List.of(CniShim.installed(), Path.of("/usr/lib/cni")))) {
                String server = podman.ok("run", "-d", "--name", "srv", "--network", "nkpod", "-p", "18080:80",
                        Podman.IMAGE, "/bin/busybox", "sh", "-c",
                        "while true; do echo hello | /bin/busybox nc -l -p 80; done").line();
                String address = podman.ok("inspect", "srv", "--format",
                        "{{.NetworkSettings.Networks.nkpod.IPAddress}}").line();
                assertTrue(address.startsWith("10.89.0."), "srv has a netkeeper address: " + address);
                JsonNode endpoint = endpointOf(socket, "nkpod", "cni:" + server + ":eth0");
                assertEquals(address + "/24", endpoint.path("interfaces").get(0).path("address").asText(),
                        "the journal holds the container's attachment");

                ping(podman, address);
                assertTrue(eventually(() -> "hello".equals(NsSockets.tcpLine(outside.path(), Uplink.HOST, 18080))),
                        "the published port is reached from the outside");

                agent.kill(); // SIGKILL while srv runs
                agent = agent.again().start();
                ping(podman, address);
                assertTrue(eventually(() -> "hello".equals(NsSockets.tcpLine(outside.path(), Uplink.HOST, 18080))),
                        "still published after the agent came back");

                podman.ok("rm", "-f", "--time", "0", "srv");
                assertEquals(0, network(socket, "nkpod").path("endpointCount").asInt(), "podman rm -f leaves no endpoint");
                assertFalse(IpOracle.linkNames(host.name()).stream().anyMatch(l -> l.startsWith("nkv")),
                        "no veth is left in the host: " + IpOracle.linkNames(host.name()));
                String nat = IpOracle.run("ip", "netns", "exec", host.name(), "nft", "list", "map", "inet", "netkeeper",
                        "dnat4").stdout();
                assertFalse(nat.contains("18080"), "the published port is gone: " + nat);
            } finally {
                agent.close();
                AgentChild.deleteTree(data);
            }
        }
    }

    /** A throwaway container on the network pings {@code address}. */
    private static void ping(Podman podman, String address) {
        dev.netkeeper.testing.IpOracle.Result r = podman.run("run", "--rm", "--network", "nkpod", Podman.IMAGE, "/bin/busybox", "ping", "-c", "1",
                "-W", "2", address);
        assertEquals(0, r.exitCode(), () -> "a second container pings " + address + ": " + r);
    }

    private static JsonNode network(Path socket, String name) {
        IpOracle.Result r = IpOracle.run("curl", "-s", "--unix-socket", socket.toString(), "http://netkeeper/v1/networks/" + name);
        try {
            return JSON.readTree(r.stdout());
        } catch (Exception e) {
            throw new AssertionError("no network JSON: " + r.stdout() + r.stderr(), e);
        }
    }

    private static JsonNode endpointOf(Path socket, String network, String endpoint) {
        IpOracle.Result r = IpOracle.run("curl", "-s", "--unix-socket", socket.toString(),
                "http://netkeeper/v1/networks/" + network + "/endpoints/" + endpoint);
        try {
            return JSON.readTree(r.stdout());
        } catch (Exception e) {
            throw new AssertionError("no endpoint JSON: " + r.stdout() + r.stderr(), e);
        }
    }

    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
