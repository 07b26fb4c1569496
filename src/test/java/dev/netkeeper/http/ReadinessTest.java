package dev.netkeeper.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import dev.netkeeper.testing.ThrowawayDatabase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /readyz} says whether the agent can take commands: while its journal takes no write (the journal
 * table locked by another session of its PostgreSQL server), it answers 503 and names the journal; once the
 * lock goes, 200 again. {@code /healthz} stays 200 throughout: the process is alive.
 */
class ReadinessTest {
    @Test
    void notReadyWhileTheJournalTakesNoWrite() throws Exception {
        try (ThrowawayDatabase database = ThrowawayDatabase.create();
             TestAgent agent = TestAgent.start("ready", Map.of("netkeeper.journal.kind", "postgres",
                     "netkeeper.journal.postgres.url", database.url(), "netkeeper.journal.postgres.user", "postgres"))) {
            Path socket = agent.socket();
            assertEquals(200, readyz(socket).status(), readyz(socket).toString());

            try (Connection c = DriverManager.getConnection(database.url(), "postgres", "");
                 Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("LOCK TABLE event_journal IN ACCESS EXCLUSIVE MODE");
                LocalApiTest.Reply locked = readyz(socket);
                assertEquals(503, locked.status(), locked.toString());
                JsonNode checks = locked.json();
                assertTrue(checks.path("journal").asText().startsWith("no journal write within 2 s"), checks.toString());
                assertEquals("ok", checks.path("netlink").asText(), checks.toString());
                assertEquals(200, curl(socket, "/healthz").status(), "alive all the same");
                c.rollback();
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            LocalApiTest.Reply again = readyz(socket);
            while (again.status() != 200 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                again = readyz(socket);
            }
            assertEquals(200, again.status(), "ready again once the journal takes writes: " + again);
        }
    }

    private static LocalApiTest.Reply readyz(Path socket) {
        return curl(socket, "/readyz");
    }

    private static LocalApiTest.Reply curl(Path socket, String path) {
        IpOracle.Result r = IpOracle.run("curl", "-s", "--unix-socket", socket.toString(), "-w", "\n%{http_code}",
                "http://localhost" + path);
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        return new LocalApiTest.Reply(Integer.parseInt(out.substring(cut + 1).strip()), out.substring(0, cut));
    }
}
