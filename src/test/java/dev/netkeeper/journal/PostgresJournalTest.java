package dev.netkeeper.journal;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent on a real PostgreSQL journal (the multi-host choice): the schema is created on first
 * start, and a restarted agent recovers its networks and namespaces from the server. bin/test starts
 * the server and names it in NETKEEPER_TEST_POSTGRES; each run gets a database of its own.
 */
class PostgresJournalTest {
    private String server;
    private String database;

    @BeforeEach
    void createDatabase() throws Exception {
        server = System.getenv("NETKEEPER_TEST_POSTGRES");
        assertNotNull(server, "NETKEEPER_TEST_POSTGRES is not set: run the suite with bin/test, which starts "
                + "a throwaway PostgreSQL server for this test");
        database = "nk_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try (Connection c = DriverManager.getConnection(server, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        try (Connection c = DriverManager.getConnection(server, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void anAgentOnPostgresCreatesItsSchemaAndRecoversFromIt() throws Exception {
        String url = server.substring(0, server.lastIndexOf('/') + 1) + database;
        Map<String, Object> journal = Map.of("netkeeper.journal.kind", "postgres",
                "netkeeper.journal.postgres.url", url, "netkeeper.journal.postgres.user", "postgres");
        try (TestAgent agent = TestAgent.start("pg", journal)) {
            NetkeeperClient nk = agent.client();
            nk.newNetwork("bridge", "pgnet", NetworkOptions.builder().subnet("10.95.0.0/24").build());
            Interface c1 = nk.network("pgnet").link("c1").get(0);
            String path = TestAgent.namespacePath("pga");
            Interface placed = nk.newNetworkNamespace(path).addInterface(c1);
            NetworkInfo before = nk.networkInfo("pgnet");

            try (Connection c = DriverManager.getConnection(url, "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT count(*) FROM event_journal WHERE persistence_id = 'Network|pgnet'")) {
                assertTrue(r.next());
                assertEquals(3, r.getLong(1), "NetworkCreated, EndpointAllocated, EndpointPlaced are in PostgreSQL");
            }

            agent.restart();
            NetkeeperClient after = agent.client();
            assertEquals(before, after.networkInfo("pgnet"), "the network comes back from PostgreSQL as it was");
            assertEquals(List.of(placed), after.namespace(path).interfaces());
            assertEquals(List.of(c1), after.network("pgnet").link("c1"), "a linked name gives the same interface");
            assertEquals("10.95.0.3/24", after.network("pgnet").link("c2").get(0).address(), "no address twice");
            String ns = Path.of(path).getFileName().toString();
            assertTrue(IpOracle.addressesOf(ns, "eth0").contains("10.95.0.2/24"));
            after.namespace(path).delete();
            after.network("pgnet").delete(true);
        }
    }
}
