package dev.netkeeper.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parent's side of a {@link BenchAgent} child JVM: starts it, sends commands, and watches its log for the
 * "network X converged" / "namespace Y converged" lines (with the time each was first seen). The whole log
 * goes to a file under the work directory.
 */
final class AgentProc implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NETWORK_CONVERGED = Pattern.compile("network (\\S+) converged(?: on \\S+)?: ");
    private static final Pattern NAMESPACE_CONVERGED = Pattern.compile("namespace (\\S+) converged: ");

    private final Process process;
    private final long startNanos;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();
    private final Map<String, Long> converged = new ConcurrentHashMap<>();
    private final PrintWriter stdin;
    private final Writer log;
    private final JsonNode up;
    private final long upNanos;
    private volatile boolean ended;
    private Thread reader;

    private final Path hostNs;

    private AgentProc(Process process, long startNanos, Writer log, Path hostNs) throws Exception {
        this.hostNs = hostNs;
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
        this.stdin = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        reader = new Thread(this::read, "bench-agent-output");
        reader.setDaemon(true);
        reader.start();
        this.up = next(Duration.ofMinutes(2), "up");
        this.upNanos = System.nanoTime();
    }

    /**
     * Starts {@code BenchAgent HOST_NS DATA_DIR HOST_ID} with the test classpath and {@code jvmOptions}, and waits
     * for its "up" reply (the node is an Up cluster member).
     */
    static AgentProc start(Path hostNs, Path dataDir, String hostId, List<String> jvmOptions, Path logFile)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // JFR's disk repository next to the log, not in /tmp: a SIGKILLed agent cannot remove its own
        Path repository = Files.createDirectories(logFile.getParent().resolve("jfr-repository"));
        cmd.add("-XX:FlightRecorderOptions=repository=" + repository);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("bench/logback-bench.xml").toAbsolutePath(),
                BenchAgent.class.getName(), hostNs.toString(), dataDir.toString(), hostId));
        Files.createDirectories(logFile.getParent());
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NETKEEPER_TEST_LOG", "INFO");
        return new AgentProc(pb.start(), t0, log, hostNs);
    }

    /** The agent's host namespace (its path). */
    String hostNamespace() {
        return hostNs.toString();
    }

    private void read() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                long now = System.nanoTime();
                if (line.startsWith("BENCH ")) {
                    replies.add(JSON.readTree(line.substring(6)));
                    continue;
                }
                synchronized (log) {
                    log.write(line);
                    log.write('\n');
                }
                if (line.contains(" converged")) {
                    Matcher m = NETWORK_CONVERGED.matcher(line);
                    if (m.find()) {
                        converged.putIfAbsent("network " + m.group(1), now);
                    }
                    m = NAMESPACE_CONVERGED.matcher(line);
                    if (m.find()) {
                        converged.putIfAbsent("namespace " + m.group(1), now);
                    }
                }
            }
        } catch (IOException e) {
            // the process went away
        } finally {
            ended = true;
            synchronized (log) {
                try {
                    log.flush();
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    long pid() {
        return process.pid();
    }

    /** Milliseconds from spawning the JVM to its "up" reply (the node is an Up cluster member). */
    double upMs() {
        return (upNanos - startNanos) / 1e6;
    }

    /** The nanoTime at which the first of {@code keys} logged "converged" (Long.MAX_VALUE if none did). */
    long firstConverged(Collection<String> keys) {
        return keys.stream().map(converged::get).filter(java.util.Objects::nonNull).mapToLong(Long::longValue).min()
                .orElse(Long.MAX_VALUE);
    }

    long startNanos() {
        return startNanos;
    }

    /** Sends one command and returns its reply; a reply with "error" throws. */
    JsonNode call(String command, Duration timeout) throws Exception {
        stdin.println(command);
        return next(timeout, command);
    }

    JsonNode call(String command) throws Exception {
        return call(command, Duration.ofMinutes(5));
    }

    private JsonNode next(Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode r = replies.poll(200, TimeUnit.MILLISECONDS);
            if (r != null) {
                if (r.has("error")) {
                    throw new IllegalStateException("agent: " + what + " failed: " + r.get("error").asText());
                }
                return r;
            }
            if (ended && replies.isEmpty()) {
                throw new IllegalStateException("agent ended before answering " + what + " (exit "
                        + (process.isAlive() ? "?" : process.exitValue()) + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("agent: no answer to " + what + " within " + timeout);
            }
        }
    }

    /**
     * Waits until every key ("network NAME", "namespace HOST:PATH") has logged "converged", and returns the
     * nanoTime at which the last of them was seen.
     */
    long awaitConverged(Collection<String> keys, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long last = 0;
            int missing = 0;
            for (String k : keys) {
                Long t = converged.get(k);
                if (t == null) {
                    missing++;
                } else {
                    last = Math.max(last, t);
                }
            }
            if (missing == 0) {
                return last;
            }
            if (ended || System.nanoTime() > deadline) {
                throw new IllegalStateException(missing + " of " + keys.size() + " entities did not log 'converged' within "
                        + timeout + (ended ? " (agent ended)" : ""));
            }
            Thread.sleep(5);
        }
    }

    static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** SIGKILL, as a crash or a power cut would stop it. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(10_000); // the log file is complete once the reader has seen the end
    }

    /** Clean stop ("quit": the node leaves and terminates). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stdin.println("quit");
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
        reader.join(10_000);
    }
}
