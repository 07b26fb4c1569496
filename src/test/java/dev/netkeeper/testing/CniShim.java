package dev.netkeeper.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The netkeeper CNI plugin as a runtime runs it: installed with {@code bin/netkeeper install-cni DIR} (once per
 * test JVM), executed with only the CNI_ variables it is given and the configuration on stdin.
 */
public final class CniShim {
    private static Path dir;

    private CniShim() {}

    /** The directory holding the installed plugin ({@code netkeeper}), for a runtime's plugin path. */
    public static synchronized Path installed() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("nk-cni-bin-");
                IpOracle.Result r = IpOracle.run("bin/netkeeper", "install-cni", d.toString());
                if (r.exitCode() != 0) {
                    throw new IllegalStateException("install-cni failed: " + r.stderr() + r.stdout());
                }
                dir = d;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        AgentChild.deleteTree(d);
                    } catch (IOException ignored) {
                        // a temporary directory
                    }
                }));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return dir;
    }

    /** What one execution printed and how it exited. */
    public record Outcome(int exitCode, String stdout) {
        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON: '" + stdout + "'", e);
            }
        }

        /** The CNI error code printed (0 when the call succeeded). */
        public int code() {
            return exitCode == 0 ? 0 : json().path("code").asInt(-1);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ": " + stdout;
        }
    }

    /** Runs the plugin with exactly {@code env} (besides PATH) and {@code config} on stdin. */
    public static Outcome run(Map<String, String> env, String config) {
        try {
            ProcessBuilder pb = new ProcessBuilder(installed().resolve("netkeeper").toString());
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            p.getOutputStream().write(config.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the CNI plugin did not exit");
            }
            return new Outcome(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
