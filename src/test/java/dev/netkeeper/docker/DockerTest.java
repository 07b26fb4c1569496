package dev.netkeeper.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.Dockerd;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.NsSockets;
import dev.netkeeper.testing.ThrowawayNamespace;
import dev.netkeeper.testing.Uplink;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real dockerd (Debian's 20.10) uses netkeeper as its network driver and IPAM driver, against an agent in its own
 * JVM (so that it can be SIGKILLed), all inside a throwaway host namespace joined to an "outside" one. dockerd is
 * started first, and the first {@code docker network create} is asked while the agent is still starting. Then:
 * containers ping each other, Docker shows netkeeper's addresses, the audit names Docker's calls, a published port is
 * reached from the outside, the agent is SIGKILLed and comes back, dockerd restarts with and without --live-restore,
 * and {@code docker rm -f} / {@code docker network rm} leave nothing behind.
 */
class DockerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBNET = "10.91.0.0/24";

    @Test
    void dockerRunsContainersOnANetkeeperNetwork() throws Exception {
        Path data = Files.createTempDirectory("nk-docker-agent-");
        Path dockerDir = Files.createTempDirectory("nkd-");
        String plugin = "nkt" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL); // the spec's name
        Path pluginSocket = data.resolve("docker").resolve("netkeeper.sock");
        Path api = data.resolve("run").resolve("netkeeper.sock");
        AgentChild agent = null;
        try (ThrowawayNamespace host = ThrowawayNamespace.create("dkhost");
             ThrowawayNamespace outside = ThrowawayNamespace.create("dkout");
             Dockerd docker = Dockerd.in(host.path(), dockerDir)) {
            Uplink.join(host.name(), outside.name());
            docker.registerPlugin(plugin, pluginSocket);
            // before the agent: its FORWARD policy is DROP, which the agent lets its bridges through
            docker.start("--live-restore");

            // dockerd activates the plugin lazily and retries while the socket is not there yet
            CompletableFuture<IpOracle.Result> created = CompletableFuture.supplyAsync(() -> docker.run("network",
                    "create", "-d", plugin, "--ipam-driver", plugin, "--subnet", SUBNET, "nknet"));
            agent = new AgentChild(host.path(), data, AgentChild.freePort(),
                    Map.of("NETKEEPER_DOCKER_SOCKET", pluginSocket.toString())).start();
            IpOracle.Result create = created.get(90, TimeUnit.SECONDS);
            assertEquals(0, create.exitCode(), () -> "docker network create while the agent started: " + create);
            String networkId = create.line();
            String network = "docker-" + networkId.substring(0, 12);

            // two containers on it ping each other; docker shows netkeeper's addresses
            docker.ok("run", "-d", "--name", "c1", "--network", "nknet", Dockerd.IMAGE, "/bin/busybox", "sleep", "600");
            docker.ok("run", "-d", "--name", "srv", "--network", "nknet", "-p", "18081:80", Dockerd.IMAGE,
                    "/bin/busybox", "sh", "-c", "while true; do echo hello | /bin/busybox nc -l -p 80; done");
            String srv = address(docker, "srv");
            assertTrue(srv.startsWith("10.91.0."), "srv has an address of the pool: " + srv);
            ping(docker, "c1", srv);
            assertEquals(dockerAddresses(docker, networkId), netkeeperAddresses(api, network),
                    "docker network inspect shows the addresses netkeeper journaled");
            String audit = curl(api, "/v1/audit?network=" + network + "&limit=1000");
            for (String call : List.of("NetworkDriver.CreateNetwork", "NetworkDriver.CreateEndpoint",
                    "NetworkDriver.ProgramExternalConnectivity")) {
                assertTrue(audit.contains("unix:root as docker " + call), "the audit names Docker's " + call + ": " + audit);
            }
            assertTrue(eventually(() -> "hello".equals(NsSockets.tcpLine(outside.path(), Uplink.HOST, 18081))),
                    "docker run -p 18081:80 is reached from the outside through the host's address");

            // the agent is SIGKILLed while the containers run, and comes back: nothing pulled out of Docker's sandboxes
            agent.kill();
            agent = agent.again().start();
            ping(docker, "c1", srv);
            assertTrue(eventually(() -> "hello".equals(NsSockets.tcpLine(outside.path(), Uplink.HOST, 18081))),
                    "still published after the agent came back");
            docker.ok("run", "-d", "--name", "c2", "--network", "nknet", Dockerd.IMAGE, "/bin/busybox", "sleep", "600");
            ping(docker, "c2", srv);

            // dockerd restarted with --live-restore: the containers keep running and pinging, the driver is not called
            docker.ok("rm", "-f", "c2");
            docker.ok("run", "-d", "--name", "always", "--restart", "always", "--network", "nknet", Dockerd.IMAGE,
                    "/bin/busybox", "sleep", "600");
            int changesBefore = changingCalls(agent).size();
            docker.stop();
            docker.start("--live-restore");
            ping(docker, "c1", srv);
            assertEquals(changesBefore, changingCalls(agent).size(), "a live restore changes nothing through the driver "
                    + "(it activates the plugin again, no more): " + calls(agent));
            assertEquals(3, endpoints(api, network).size(), "three endpoints still");

            // dockerd started again without it: it cleans up the containers it kept (stale Leave/DeleteEndpoint) and
            // starts the --restart always one again (new CreateEndpoint/Join): exactly one endpoint per running container
            docker.stop();
            docker.start();
            assertTrue(eventually(() -> docker.run("exec", "always", "/bin/busybox", "true").exitCode() == 0),
                    "the --restart always container runs again");
            assertTrue(eventually(() -> {
                try {
                    return dockerAddresses(docker, networkId).equals(netkeeperAddresses(api, network));
                } catch (Exception e) {
                    return false;
                }
            }), "exactly the running containers' endpoints: " + netkeeperAddresses(api, network));
            String always = address(docker, "always");
            docker.ok("start", "c1", "srv");
            srv = address(docker, "srv");
            ping(docker, "always", srv);
            ping(docker, "c1", always);
            assertEquals(dockerAddresses(docker, networkId), netkeeperAddresses(api, network),
                    "one endpoint per running container");
            assertEquals(3, netkeeperAddresses(api, network).size(), netkeeperAddresses(api, network).toString());

            // docker rm -f and docker network rm: nothing left in the kernel, the journal says released
            docker.ok("rm", "-f", "c1", "srv", "always");
            assertEquals(Set.of(), netkeeperAddresses(api, network), "docker rm -f leaves no endpoint");
            docker.ok("network", "rm", "nknet");
            assertTrue(curl(api, "/v1/networks/" + network).contains("NO_SUCH_NETWORK"), "the network is gone");
            List<String> left = IpOracle.linkNames(host.name()).stream().filter(l -> l.startsWith("nk")
                    && !l.equals("nkup0")).toList();
            assertEquals(List.of(), left, "no bridge or veth of netkeeper is left in the host");
            String nat = IpOracle.run("ip", "netns", "exec", host.name(), "nft", "list", "map", "inet", "netkeeper",
                    "dnat4").stdout();
            assertFalse(nat.contains("18081"), "the published port is gone: " + nat);
            String trail = curl(api, "/v1/audit?limit=1000");
            for (String event : List.of("PoolReserved", "PoolAddressReleased", "PoolReleased", "EndpointReleased",
                    "NetworkDeleted")) {
                assertTrue(trail.contains(event), "the journal says " + event + ": " + trail);
            }
            System.out.println("Docker plugin calls seen by the agent:\n" + String.join("\n", calls(agent)));
        } finally {
            if (agent != null) {
                agent.close();
            }
            AgentChild.deleteTree(data);
        }
    }

    /** The calls the agent logged, in order ("NetworkDriver.Join ok"). */
    private static List<String> calls(AgentChild agent) {
        List<String> out = new ArrayList<>();
        for (String line : agent.output().split("\n")) {
            int at = line.indexOf("docker ");
            if (line.contains("DockerPlugin") && at >= 0) {
                out.add(line.substring(at));
            }
        }
        return out;
    }

    /** The calls that change something: no activation, capabilities or information. */
    private static List<String> changingCalls(AgentChild agent) {
        return calls(agent).stream().filter(c -> !c.contains("Activate") && !c.contains("GetCapabilities")
                && !c.contains("GetDefaultAddressSpaces") && !c.contains("EndpointOperInfo")).toList();
    }

    private static void ping(Dockerd docker, String from, String address) throws InterruptedException {
        assertTrue(eventually(() -> docker.run("exec", from, "/bin/busybox", "ping", "-c", "1", "-W", "2", address)
                .exitCode() == 0), from + " pings " + address);
    }

    private static String address(Dockerd docker, String container) {
        return docker.ok("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", container).line();
    }

    /** The addresses docker network inspect shows for the network's containers. */
    private static Set<String> dockerAddresses(Dockerd docker, String networkId) throws Exception {
        JsonNode inspect = JSON.readTree(docker.ok("network", "inspect", networkId).stdout()).get(0);
        Set<String> out = new TreeSet<>();
        inspect.path("Containers").forEach(c -> out.add(c.path("IPv4Address").asText()));
        return out;
    }

    private static Set<String> netkeeperAddresses(Path api, String network) throws Exception {
        Set<String> out = new TreeSet<>();
        endpoints(api, network).forEach(e -> out.add(e.path("interfaces").get(0).path("address").asText()));
        return out;
    }

    private static List<JsonNode> endpoints(Path api, String network) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(curl(api, "/v1/networks/" + network)).path("endpoints").forEach(out::add);
        return out;
    }

    private static String curl(Path socket, String path) {
        IpOracle.Result r = IpOracle.run("curl", "-s", "--unix-socket", socket.toString(), "http://netkeeper" + path);
        return r.stdout();
    }

    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
