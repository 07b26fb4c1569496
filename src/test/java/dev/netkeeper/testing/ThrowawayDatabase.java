package dev.netkeeper.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database of its own on the PostgreSQL server that bin/test starts for the suite (named in
 * NETKEEPER_TEST_POSTGRES, user postgres, trust auth); dropped on close.
 */
public final class ThrowawayDatabase implements AutoCloseable {
    private final String server;
    private final String name;

    private ThrowawayDatabase(String server, String name) {
        this.server = server;
        this.name = name;
    }

    public static ThrowawayDatabase create() throws Exception {
        String server = System.getenv("NETKEEPER_TEST_POSTGRES");
        if (server == null) {
            throw new IllegalStateException("NETKEEPER_TEST_POSTGRES is not set: run the suite with bin/test, which "
                    + "starts a throwaway PostgreSQL server for the tests that need one");
        }
        String name = "nk_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try (Connection c = DriverManager.getConnection(server, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new ThrowawayDatabase(server, name);
    }

    /** The JDBC URL of this database. */
    public String url() {
        return server.substring(0, server.lastIndexOf('/') + 1) + name;
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() throws Exception {
        try (Connection c = DriverManager.getConnection(server, "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
