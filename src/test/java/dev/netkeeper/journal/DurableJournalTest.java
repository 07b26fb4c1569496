package dev.netkeeper.journal;

import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.AgentChild;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The embedded journal acknowledges only what is on stable storage: the agent runs under strace, and the trace
 * shows, for one command and for 16 at once, the journal's write-ahead log written, then synced, then the reply
 * written to the caller's socket; concurrent commands share syncs (fewer syncs than events), and every event of a
 * batch keeps its tag (the audit, which reads by tag, sees them all). The journal's files are the owner's only.
 */
class DurableJournalTest {
    private static final String WAL = EmbeddedJournal.FILE + "-wal";
    /** "1700000000.123456 fdatasync(41</tmp/.../journal.db-wal>) = 0": epoch µs, call, first argument's path. */
    private static final Pattern LINE = Pattern.compile("^(?:\\d+ +)?(\\d+\\.\\d+) (\\w+)\\(\\d+<([^>]*)>(.*)$");

    static ThrowawayNamespace host;
    static Path data;
    static Path trace;
    static AgentChild agent;
    static NetkeeperClient client;

    @BeforeAll
    static void start() throws Exception {
        host = ThrowawayNamespace.create("durable");
        data = Files.createTempDirectory("nk-durable-");
        trace = Files.createTempFile("nk-durable-", ".strace");
        agent = new AgentChild(host.path(), data, AgentChild.freePort()).launchedWith(List.of("strace", "-f",
                "--seccomp-bpf", "-ttt", "-y", "-s", "64", "-e", "trace=fsync,fdatasync,write,writev,pwrite64,sendto,sendmsg",
                "-o", trace.toString())).start();
        client = NetkeeperClient.overSocket(data.resolve("run").resolve("netkeeper.sock"), ClientSettings.defaults());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.close();
            }
            if (agent != null) {
                agent.close();
            }
        } finally {
            host.close();
            AgentChild.deleteTree(data);
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void aReplyIsWrittenOnlyAfterTheJournalIsSynced() throws Exception {
        Network net = client.newNetwork("null", "durable1", NetworkOptions.builder().build());
        double before = now();
        net.link("one");
        double after = now();
        List<Call> calls = calls(before, after);
        int reply = firstReply(calls);
        int synced = lastIndex(calls.subList(0, reply), c -> c.isSync() && c.path().endsWith(WAL));
        int written = lastIndex(calls.subList(0, reply), c -> c.name().equals("pwrite64") && c.path().endsWith(WAL));
        assertTrue(written >= 0, "the event was written to the journal's log before the reply:\n" + show(calls));
        assertTrue(synced > written, "and the log was synced after that write, before the reply:\n" + show(calls));
    }

    /**
     * Sixteen entities persisting at once (a link on each of 16 networks: one entity persists its own events one
     * after another, so concurrency that shares syncs is across entities).
     */
    @Test
    void concurrentCommandsShareSyncsAndEveryEventKeepsItsTag() throws Exception {
        List<Network> nets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            nets.add(client.newNetwork("null", "durable-g" + i, NetworkOptions.builder().build()));
        }
        long offset = lastOffset();
        double before = now();
        List<CompletableFuture<?>> links = new ArrayList<>();
        for (Network net : nets) {
            links.add(net.linkAsync("c").toCompletableFuture());
        }
        CompletableFuture.allOf(links.toArray(new CompletableFuture<?>[0])).join();
        double after = now();
        List<AuditRecord> events = client.audit(new AuditQuery(null, null, null, null, offset, 1000)).records().stream()
                .filter(r -> r.entityId().startsWith("durable-g")).toList();
        assertEquals(16, events.stream().filter(r -> r.event().equals("EndpointAllocated")).count(),
                "every event of a batch is found by its tag: " + events);
        List<Call> calls = calls(before, after);
        long syncs = calls.stream().filter(c -> c.isSync() && c.path().endsWith(WAL)).count();
        long replies = calls.stream().filter(Call::isReply).count();
        assertEquals(16, replies, show(calls));
        assertTrue(syncs >= 1 && syncs < events.size(), syncs + " syncs of the log for " + events.size() + " events:\n"
                + show(calls));
        System.out.printf("16 concurrent links: %d events journaled with %d syncs of the log%n", events.size(), syncs);
    }

    @Test
    void theJournalsFilesAreTheOwnersOnly() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(EmbeddedJournal.FILE))));
    }

    // ---- the trace ---------------------------------------------------------------------------------

    record Call(double at, String name, String path, String rest) {
        boolean isSync() {
            return name.equals("fsync") || name.equals("fdatasync");
        }

        boolean isReply() {
            return path.startsWith("socket:") && rest.contains("HTTP/1.1 2");
        }
    }

    /** The traced calls between two instants (strace's wall clock, the same as this JVM's), in order. */
    private static List<Call> calls(double from, double to) throws Exception {
        Thread.sleep(300); // strace writes its lines as the calls return
        List<Call> out = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher m = LINE.matcher(line);
            if (m.matches()) {
                double at = Double.parseDouble(m.group(1));
                if (at >= from && at <= to) {
                    out.add(new Call(at, m.group(2), m.group(3), m.group(4)));
                }
            }
        }
        return out;
    }

    private static int firstReply(List<Call> calls) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).isReply()) {
                return i;
            }
        }
        throw new AssertionError("no reply in the trace:\n" + show(calls));
    }

    private static int lastIndex(List<Call> calls, java.util.function.Predicate<Call> p) {
        for (int i = calls.size() - 1; i >= 0; i--) {
            if (p.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String show(List<Call> calls) {
        StringBuilder b = new StringBuilder();
        calls.forEach(c -> b.append(String.format("%.6f %s %s %s%n", c.at(), c.name(), c.path(),
                c.rest().length() > 60 ? c.rest().substring(0, 60) : c.rest())));
        return b.toString();
    }

    private static long lastOffset() {
        List<AuditRecord> all = client.audit(new AuditQuery(null, null, null, null, 0, 1000)).records();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).offset();
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
