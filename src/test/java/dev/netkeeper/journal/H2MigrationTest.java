package dev.netkeeper.journal;

import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.StateAt;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An agent of an earlier version left an H2 journal: the agent refuses to start on it (no silent fresh start) and
 * names the command; {@code netkeeper journal migrate-h2} moves it; the agent then starts on the SQLite journal
 * with the same audit trail (offsets, request ids, origins, changes), the same state at any instant, and the kernel
 * converged to it.
 */
class H2MigrationTest {
    @Test
    void anH2JournalIsRefusedThenMigratedWithItsAuditAndStateIntact() throws Exception {
        try (TestAgent agent = TestAgent.start("h2mig", Map.of("netkeeper.journal.kind", "h2"))) {
            // a journal as the earlier version wrote it: networks, links, a namespace with an interface, a removal
            Network net = agent.client().newNetwork("bridge", "h2net", NetworkOptions.builder().subnet("10.62.0.0/24")
                    .driverOption("bridge.name", "br-h2mig").build());
            Interface c1 = net.link("c1").get(0);
            net.link("c2");
            net.unlink("c2");
            Namespace ns = agent.client().newNetworkNamespace(TestAgent.namespacePath("h2mig"));
            ns.addInterface(c1);
            agent.client().newNetwork("null", "h2gone", NetworkOptions.builder().build()).delete(false);
            List<AuditRecord> audit = all(agent);
            long at = System.currentTimeMillis();
            StateAt state = agent.client().stateAt(at, null);
            assertTrue(Files.exists(agent.dataDir().resolve(EmbeddedJournal.H2_FILE)));

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> agent.restartWith(Map.of()));
            assertTrue(messages(refused).contains("netkeeper journal migrate-h2 --data-dir " + agent.dataDir()),
                    messages(refused));
            assertFalse(Files.exists(agent.dataDir().resolve(EmbeddedJournal.FILE)), "no fresh journal was started");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = dev.netkeeper.cli.Main.run(List.of("journal", "migrate-h2", "--data-dir", agent.dataDir().toString()),
                    new PrintStream(out), new PrintStream(err));
            assertEquals(0, code, err.toString());
            assertTrue(out.toString().contains(audit.size() + " tags"), "every audited event keeps its tag: " + out);

            agent.restartWith(Map.of());
            assertEquals(audit, all(agent), "the same audit trail: offsets, request ids, origins, changes");
            assertEquals(state, agent.client().stateAt(at, null), "the same state at the same instant");
            assertEquals(1, agent.client().namespace(ns.path()).interfaces().size(), "the namespace and its interface");
            Network again = agent.client().network("h2net"); // handles of the stopped agent's client are gone with it
            assertEquals(List.of("c1"), again.info().endpoints().stream().map(e -> e.name()).toList());
            // and it takes new commands, journaled after the migrated ones
            again.link("c3");
            List<AuditRecord> after = all(agent);
            assertTrue(after.get(after.size() - 1).offset() > audit.get(audit.size() - 1).offset());
        }
    }

    private static List<AuditRecord> all(TestAgent agent) {
        return agent.client().audit(new AuditQuery(null, null, null, null, 0, 1000)).records();
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getMessage()).append('\n');
        }
        return b.toString();
    }
}
