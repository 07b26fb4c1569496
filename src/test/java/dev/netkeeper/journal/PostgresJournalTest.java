package dev.netkeeper.journal;

import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayDatabase;
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

import static org.junit.jupiter.api.Assertions.*;

/**
 * The agent on a real PostgreSQL journal (the multi-host choice): the schema is created on first
 * start, and a restarted agent recovers its networks and namespaces from the server. bin/test starts
 * the server and names it in NETKEEPER_TEST_POSTGRES; each run gets a database of its own.
 */
class PostgresJournalTest {
    private ThrowawayDatabase database;

    @BeforeEach
    void createDatabase() throws Exception {
        database = ThrowawayDatabase.create();
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void anAgentOnPostgresCreatesItsSchemaAndRecoversFromIt() throws Exception {
        String url = database.url();
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
