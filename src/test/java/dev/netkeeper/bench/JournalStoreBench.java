package dev.netkeeper.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Random;

/**
 * The embedded stores' commit path, measured the same way: one event-journal row (and its tag row) per
 * transaction, durable before the next (H2: commit, then CHECKPOINT SYNC; SQLite: WAL with synchronous=FULL,
 * commit), N sequential commits after a warm-up. Prints commit latency p50 / p99 and bytes written per commit
 * (the process's write_bytes, so the page cache does not hide the store's own writes). {@code JournalStoreBench
 * DIR [N]}: DIR on the disk whose fsync counts.
 */
public final class JournalStoreBench {
    private static final String ROW = "INSERT INTO event_journal(persistence_id, sequence_number, deleted, writer,"
            + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload) VALUES (?,?,?,?,?,?,?,?,?)";

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Files.createDirectories(dir);
        System.out.println("| store, one event per durable commit | commit p50 ms | p99 ms | KB written per commit |");
        System.out.println("|---|---|---|---|");
        run("H2 2.3, WRITE_DELAY=0, commit (no sync: today)", DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("nosync")
                + ";WRITE_DELAY=0"), false, "h2", n);
        run("H2 2.3, WRITE_DELAY=0, commit + CHECKPOINT SYNC", DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("h2")
                + ";WRITE_DELAY=0"), true, "h2", n);
        run("SQLite 3.54, WAL, synchronous=FULL, commit", DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sqlite.db")),
                false, "sqlite", n);
    }

    private static void run(String name, Connection c, boolean checkpoint, String kind, int n) throws Exception {
        try (c; Statement s = c.createStatement()) {
            if (kind.equals("sqlite")) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("CREATE TABLE event_journal(ordering INTEGER PRIMARY KEY AUTOINCREMENT, persistence_id TEXT NOT NULL,"
                        + " sequence_number INTEGER NOT NULL, deleted BOOLEAN NOT NULL, writer TEXT NOT NULL, write_timestamp"
                        + " INTEGER, adapter_manifest TEXT, event_ser_id INTEGER NOT NULL, event_ser_manifest TEXT NOT NULL,"
                        + " event_payload BLOB NOT NULL, UNIQUE(persistence_id, sequence_number))");
                s.execute("CREATE TABLE event_tag(event_id INTEGER NOT NULL, tag TEXT NOT NULL, PRIMARY KEY(event_id, tag))");
            } else {
                s.execute("CREATE TABLE event_journal(ordering BIGINT AUTO_INCREMENT UNIQUE, persistence_id VARCHAR(255) NOT NULL,"
                        + " sequence_number BIGINT NOT NULL, deleted BOOLEAN NOT NULL, writer VARCHAR NOT NULL, write_timestamp"
                        + " BIGINT, adapter_manifest VARCHAR, event_ser_id INTEGER NOT NULL, event_ser_manifest VARCHAR NOT NULL,"
                        + " event_payload BLOB NOT NULL, PRIMARY KEY(persistence_id, sequence_number))");
                s.execute("CREATE TABLE event_tag(event_id BIGINT NOT NULL, tag VARCHAR NOT NULL, PRIMARY KEY(event_id, tag))");
            }
            c.setAutoCommit(false);
            byte[] payload = new byte[600]; // an EndpointAllocated event is a few hundred bytes of CBOR
            new Random(1).nextBytes(payload);
            int warm = 200;
            double[] ms = new double[n];
            long bytes0 = 0;
            try (PreparedStatement row = c.prepareStatement(ROW, Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement tag = c.prepareStatement("INSERT INTO event_tag(event_id, tag) VALUES (?, 'network')");
                 Statement sync = c.createStatement()) {
                for (int i = -warm; i < n; i++) {
                    if (i == 0) {
                        bytes0 = writeBytes();
                    }
                    long t0 = System.nanoTime();
                    row.setString(1, "Network|net" + (i & 63));
                    row.setLong(2, i + warm + 1L);
                    row.setBoolean(3, false);
                    row.setString(4, "writer-uuid-0123456789");
                    row.setLong(5, System.currentTimeMillis());
                    row.setString(6, "");
                    row.setInt(7, 33);
                    row.setString(8, "EndpointAllocated");
                    row.setBytes(9, payload);
                    row.executeUpdate();
                    try (var keys = row.getGeneratedKeys()) {
                        keys.next();
                        tag.setLong(1, keys.getLong(1));
                    }
                    tag.executeUpdate();
                    c.commit();
                    if (checkpoint) {
                        sync.execute("CHECKPOINT SYNC");
                    }
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
            double kb = (writeBytes() - bytes0) / 1024.0 / n;
            Arrays.sort(ms);
            System.out.printf("| %s | %.3f | %.3f | %.1f |%n", name, ms[n / 2], ms[(int) (n * 0.99)], kb);
        }
    }

    /** This process's bytes written to storage so far (/proc/self/io write_bytes). */
    private static long writeBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring("write_bytes:".length()).strip());
            }
        }
        return -1;
    }
}
