package dev.netkeeper.cluster;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The multi-host settings: seed nodes and roles, as a list or as the environment's comma-separated string. */
class AgentSettingsTest {

    @Test
    void noSeedsByDefaultSoTheAgentFormsAClusterOfItsOwn() {
        Config c = AgentSettings.load(Map.of(), Optional.empty());
        assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(List.of(), c.getStringList("pekko.cluster.roles"));
    }

    @Test
    void seedsAsHostPortBecomePekkoAddressesOfTheNetkeeperSystem() {
        Config c = AgentSettings.load(Map.of("netkeeper.seed-nodes", List.of("10.0.0.1:25520", "10.0.0.2:25521")),
                Optional.empty());
        assertEquals(List.of("pekko://netkeeper@10.0.0.1:25520", "pekko://netkeeper@10.0.0.2:25521"),
                c.getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void seedsAndRolesFromOneCommaSeparatedString() {
        Config c = AgentSettings.load(Map.of("netkeeper.seed-nodes", "10.0.0.1:25520, 10.0.0.2:25520,",
                "netkeeper.roles", "edge,gpu"), Optional.empty());
        assertEquals(List.of("pekko://netkeeper@10.0.0.1:25520", "pekko://netkeeper@10.0.0.2:25520"),
                c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(List.of("edge", "gpu"), c.getStringList("pekko.cluster.roles"));
    }

    @Test
    void aFullPekkoAddressIsKeptAsItIs() {
        Config c = AgentSettings.load(Map.of("netkeeper.seed-nodes", "pekko://netkeeper@h1:25520"), Optional.empty());
        assertEquals(List.of("pekko://netkeeper@h1:25520"), c.getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void theHostRoleNamesTheHost() {
        assertEquals("host-alpha", HostAffineAllocation.role("alpha"));
        assertEquals("alpha", HostAffineAllocation.hostOf("host-alpha"));
        assertNull(HostAffineAllocation.hostOf("edge"));
    }

    @Test
    void aHostIdWithAColonIsRefusedBecauseNamespaceIdsAreHostColonPath() {
        Config c = AgentSettings.load(Map.of("netkeeper.host-id", "a:b"), Optional.empty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentSettings.from(c));
        assertTrue(e.getMessage().contains("must not contain ':'"), e.getMessage());
    }

    @Test
    void aNamespaceIsShardedByItsHost() {
        NamespacesByHost byHost = new NamespacesByHost();
        assertEquals("alpha", byHost.shardId("alpha:/var/run/netns/c1"));
        assertEquals("alpha", byHost.shardId("alpha:/var/run/netkeeper/x:y"), "the first colon ends the host");
        assertEquals("beta", byHost.shardId("beta:/var/run/netns/c1"));
    }

    @Test
    void theJournalPasswordCanComeFromAFile() throws Exception {
        java.nio.file.Path secret = java.nio.file.Files.createTempFile("nk-pg-", ".secret");
        try {
            java.nio.file.Files.writeString(secret, "s3cret-from-file\n");
            Config c = AgentSettings.load(Map.of("netkeeper.journal.kind", "postgres",
                    "netkeeper.journal.postgres.password", "from-config",
                    "netkeeper.journal.postgres.password-file", secret.toString()), Optional.empty());
            assertEquals("s3cret-from-file", c.getString("pekko-persistence-jdbc.shared-databases.netkeeper.db.password"));
            Config plain = AgentSettings.load(Map.of("netkeeper.journal.kind", "postgres",
                    "netkeeper.journal.postgres.password", "from-config"), Optional.empty());
            assertEquals("from-config", plain.getString("pekko-persistence-jdbc.shared-databases.netkeeper.db.password"));
            IllegalArgumentException missing = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> AgentSettings.load(Map.of("netkeeper.journal.kind", "postgres",
                            "netkeeper.journal.postgres.password-file", "/nonexistent/pg.secret"), Optional.empty()));
            org.junit.jupiter.api.Assertions.assertTrue(missing.getMessage().contains("/nonexistent/pg.secret"));
        } finally {
            java.nio.file.Files.deleteIfExists(secret);
        }
    }

    /** dockerd's FORWARD policy is DROP: with the Docker plugin served, the agent lets its bridges through by default. */
    @Test
    void acceptingInAForeignForwardChainFollowsTheDockerPluginUnlessSaid() {
        assertTrue(AgentSettings.from(AgentSettings.load(Map.of(), Optional.empty())).firewall().acceptInForeignForward());
        assertFalse(AgentSettings.from(AgentSettings.load(Map.of("netkeeper.docker.socket", ""), Optional.empty()))
                .firewall().acceptInForeignForward());
        assertFalse(AgentSettings.from(AgentSettings.load(Map.of("netkeeper.firewall.accept-in-foreign-forward", false),
                Optional.empty())).firewall().acceptInForeignForward());
        assertTrue(AgentSettings.from(AgentSettings.load(Map.of("netkeeper.docker.socket", "",
                "netkeeper.firewall.accept-in-foreign-forward", "true"), Optional.empty())).firewall().acceptInForeignForward());
        assertThrows(IllegalArgumentException.class, () -> AgentSettings.from(AgentSettings.load(
                Map.of("netkeeper.firewall.accept-in-foreign-forward", "sometimes"), Optional.empty())));
    }

    @Test
    void theUnderlayIsTheSettingElseTheClusterBindAddressUnlessThatIsLoopback() throws Exception {
        assertEquals(Optional.empty(), AgentSettings.from(AgentSettings.load(Map.of(), Optional.empty())).underlay(),
                "a single host on loopback has none");
        assertEquals(Optional.of(java.net.InetAddress.getByName("192.0.2.11")), AgentSettings.from(AgentSettings.load(
                Map.of("pekko.remote.artery.canonical.hostname", "192.0.2.11"), Optional.empty())).underlay());
        assertEquals(Optional.of(java.net.InetAddress.getByName("198.51.100.7")), AgentSettings.from(AgentSettings.load(
                Map.of("pekko.remote.artery.canonical.hostname", "192.0.2.11",
                        "netkeeper.overlay.underlay-address", "198.51.100.7"), Optional.empty())).underlay());
        assertEquals(Optional.empty(), AgentSettings.underlay("", "agent1.example"), "a name is never looked up");
        IllegalArgumentException loop = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.underlay("127.0.0.1", "127.0.0.1"));
        assertTrue(loop.getMessage().contains("no address other hosts can reach"), loop.getMessage());
        IllegalArgumentException name = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> AgentSettings.underlay("db.example", "127.0.0.1"));
        assertTrue(name.getMessage().contains("not an IP address"), name.getMessage());
    }
}
