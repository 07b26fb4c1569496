package dev.netkeeper.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Client credentials for tests, issued as an operator issues them: {@code netkeeper certs client NAME}. */
public final class TestClients {
    private TestClients() {}

    /** {@code netkeeper certs client NAME --ca CA_DIR --out OUT}, in this JVM, unless OUT holds them already. */
    public static Path issue(Path caDir, String name, Path out) {
        if (Files.exists(out.resolve("client.pem"))) {
            return out;
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = dev.netkeeper.cli.Main.run(List.of("certs", "client", name, "--ca", caDir.toString(), "--out",
                out.toString()), new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err));
        if (code != 0) {
            throw new IllegalStateException("certs client " + name + " failed: " + err);
        }
        return out;
    }
}
