package dev.netkeeper.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The H2 journal of earlier versions ({@value EmbeddedJournal#H2_FILE}) and its one-way move into the durable
 * SQLite journal: every row of the event journal (its ordering, hence the audit's offsets, kept), its tags and the
 * snapshots, copied in one transaction, counted on both sides, then put in place by a rename; the H2 file is kept
 * beside it as {@value #MIGRATED}. The agent must be stopped (H2 admits one process).
 */
public final class H2Journal {
    static final String MIGRATED = "journal.mv.db.migrated";
    private static final List<String> EVENT_COLUMNS = List.of("ordering", "deleted", "persistence_id", "sequence_number",
            "writer", "write_timestamp", "adapter_manifest", "event_payload", "event_ser_id", "event_ser_manifest",
            "meta_payload", "meta_ser_id", "meta_ser_manifest");
    private static final List<String> TAG_COLUMNS = List.of("event_id", "tag");
    private static final List<String> SNAPSHOT_COLUMNS = List.of("persistence_id", "sequence_number", "created",
            "snapshot_ser_id", "snapshot_ser_manifest", "snapshot_payload", "meta_ser_id", "meta_ser_manifest",
            "meta_payload");

    private H2Journal() {}

    /** How the H2 journal was opened: every commit written to the file (WRITE_DELAY=0), never fsynced. */
    public static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("journal") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /** What a migration moved. */
    public record Moved(long events, long tags, long snapshots) {}

    /** Moves the H2 journal of {@code dataDir} into a new SQLite journal there. */
    public static Moved migrate(Path dataDir) {
        if (!Files.exists(dataDir.resolve(EmbeddedJournal.H2_FILE))) {
            throw new IllegalStateException("no H2 journal (" + EmbeddedJournal.H2_FILE + ") in " + dataDir);
        }
        if (Files.exists(dataDir.resolve(EmbeddedJournal.FILE))) {
            throw new IllegalStateException(dataDir + " has a SQLite journal already (" + EmbeddedJournal.FILE
                    + "): nothing is migrated over it");
        }
        Path work = dataDir.resolve("migrating");
        try {
            deleteWork(work);
            Files.createDirectories(work);
            Moved moved;
            try (Connection from = DriverManager.getConnection(url(dataDir) + ";ACCESS_MODE_DATA=r", "sa", "");
                 Connection to = EmbeddedJournal.open(work)) {
                try (Statement s = to.createStatement()) {
                    for (String statement : EmbeddedJournal.schema()) {
                        s.execute(statement);
                    }
                }
                to.setAutoCommit(false);
                moved = new Moved(copy(from, to, "event_journal", EVENT_COLUMNS, "\"ordering\""),
                        copy(from, to, "event_tag", TAG_COLUMNS, "\"event_id\", \"tag\""),
                        copy(from, to, "snapshot", SNAPSHOT_COLUMNS, "\"persistence_id\", \"sequence_number\""));
                to.commit();
                try (Statement s = to.createStatement()) {
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)"); // everything in journal.db itself before it is moved
                }
            }
            Path wal = work.resolve(EmbeddedJournal.FILE + "-wal");
            if (Files.exists(wal) && Files.size(wal) > 0) {
                throw new IOException("the migrated journal's log was not checkpointed (" + wal + "); nothing was moved");
            }
            Files.move(work.resolve(EmbeddedJournal.FILE), dataDir.resolve(EmbeddedJournal.FILE), StandardCopyOption.ATOMIC_MOVE);
            Files.move(dataDir.resolve(EmbeddedJournal.H2_FILE), dataDir.resolve(MIGRATED), StandardCopyOption.ATOMIC_MOVE);
            deleteWork(work);
            EmbeddedJournal.prepare(dataDir); // modes, and a check that the agent will open it
            return moved;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot migrate the H2 journal in " + dataDir + " (is the agent stopped?): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot migrate the H2 journal in " + dataDir + ": " + e, e);
        }
    }

    /** Copies every row of {@code table}, in {@code order}; answers how many, refusing a count that differs. */
    private static long copy(Connection from, Connection to, String table, List<String> columns, String order)
            throws SQLException {
        String quoted = String.join(", ", columns.stream().map(c -> "\"" + c + "\"").toList());
        String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long n = 0;
        try (Statement read = from.createStatement();
             ResultSet rows = read.executeQuery("SELECT " + quoted + " FROM PUBLIC.\"" + table + "\" ORDER BY " + order);
             PreparedStatement write = to.prepareStatement(insert)) {
            while (rows.next()) {
                for (int i = 1; i <= columns.size(); i++) {
                    // a payload as its bytes: H2 hands a BLOB as a Blob object, which SQLite would store as its text
                    if (columns.get(i - 1).endsWith("_payload")) {
                        write.setBytes(i, rows.getBytes(i));
                    } else {
                        write.setObject(i, rows.getObject(i));
                    }
                }
                write.executeUpdate();
                n++;
            }
        }
        try (Statement count = to.createStatement(); ResultSet r = count.executeQuery("SELECT COUNT(*) FROM " + table)) {
            r.next();
            if (r.getLong(1) != n) {
                throw new SQLException(table + ": " + n + " rows read, " + r.getLong(1) + " written");
            }
        }
        return n;
    }

    private static void deleteWork(Path work) throws IOException {
        if (Files.exists(work)) {
            try (var walk = Files.walk(work)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
