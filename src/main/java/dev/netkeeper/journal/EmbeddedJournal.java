package dev.netkeeper.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The embedded journal: a SQLite database ({@value #FILE}) in the data directory, in WAL mode with
 * {@code synchronous=FULL}, so that a commit returns only once the write-ahead log is fsynced: the journal
 * acknowledges an event (and the agent answers its command) only when it is on stable storage. pekko-persistence-jdbc
 * writes the events of concurrent commands in one transaction (group commit: one sync for them all). The files are
 * mode 0600 in a data directory of mode 0700.
 */
public final class EmbeddedJournal {
    public static final String FILE = "journal.db";
    /** The H2 journal of earlier versions (not power-cut safe: H2 never fsyncs on commit). */
    public static final String H2_FILE = "journal.mv.db";
    /** How long a connection waits for another's write lock before SQLITE_BUSY. */
    static final int BUSY_TIMEOUT_MS = 10_000;
    private static final List<String> FILES = List.of(FILE, FILE + "-wal", FILE + "-shm");

    private EmbeddedJournal() {}

    /** The JDBC URL of the journal in {@code dataDir}, with the pragmas every connection needs. */
    public static String url(Path dataDir) {
        return "jdbc:sqlite:" + dataDir.resolve(FILE) + "?journal_mode=WAL&synchronous=FULL&foreign_keys=true&busy_timeout="
                + BUSY_TIMEOUT_MS;
    }

    /**
     * Makes the journal ready before the agent starts: the data directory 0700, the schema (created if missing), the
     * files 0600. An H2 journal of an earlier version without a SQLite one is refused: starting afresh would forget
     * every network, so the agent names the command that migrates it.
     */
    public static void prepare(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the data directory " + dataDir + ": " + e, e);
        }
        if (Files.exists(dataDir.resolve(H2_FILE)) && !Files.exists(dataDir.resolve(FILE))) {
            throw new IllegalStateException("the journal in " + dataDir + " is an H2 journal of an earlier version; migrate"
                    + " it to the durable SQLite journal (agent stopped): netkeeper journal migrate-h2 --data-dir " + dataDir);
        }
        try (Connection c = open(dataDir); Statement s = c.createStatement()) {
            for (String statement : schema()) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the journal " + dataDir.resolve(FILE) + ": " + e.getMessage(), e);
        }
        restrictModes(dataDir);
    }

    static Connection open(Path dataDir) throws SQLException {
        return DriverManager.getConnection(url(dataDir));
    }

    /** The schema's statements (resource schema/sqlite-create-schema.sql), comments dropped. */
    static List<String> schema() {
        try (InputStream in = EmbeddedJournal.class.getResourceAsStream("/schema/sqlite-create-schema.sql")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
            return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(x -> !x.isEmpty()).toList();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the journal schema is missing from the jar", e);
        }
    }

    private static void restrictModes(Path dataDir) {
        for (String f : FILES) {
            Path p = dataDir.resolve(f);
            try {
                if (Files.exists(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot restrict " + p + " to its owner: " + e, e);
            }
        }
    }
}
