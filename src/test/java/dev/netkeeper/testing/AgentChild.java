package dev.netkeeper.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real agent ({@code netkeeper agent}) as a child JVM on a fixed cluster port and a fixed client door
 * port, its host a throwaway namespace, its journal a directory; configured by the environment variables
 * of conf/application.conf.
 */
public final class AgentChild implements AutoCloseable {
    private final Path hostNamespace;
    private final Path dataDir;
    private final int port;
    private final int apiPort;
    private final Map<String, String> extraEnv;
    /** What the JVM is started through (empty: nothing). */
    private final List<String> launcher;
    private final List<String> output = new ArrayList<>();
    private Process process;

    public AgentChild(Path hostNamespace, Path dataDir, int port) {
        this(hostNamespace, dataDir, port, Map.of());
    }

    /** {@code env}: more NETKEEPER_* settings (host id, seed nodes, journal), overriding the defaults here. */
    public AgentChild(Path hostNamespace, Path dataDir, int port, Map<String, String> env) {
        this(hostNamespace, dataDir, port, freePortOrFail(), env);
    }

    private AgentChild(Path hostNamespace, Path dataDir, int port, int apiPort, Map<String, String> env) {
        this(hostNamespace, dataDir, port, apiPort, env, List.of());
    }

    private AgentChild(Path hostNamespace, Path dataDir, int port, int apiPort, Map<String, String> env,
                       List<String> launcher) {
        this.hostNamespace = hostNamespace;
        this.dataDir = dataDir;
        this.port = port;
        this.apiPort = apiPort;
        this.extraEnv = Map.copyOf(env);
        this.launcher = List.copyOf(launcher);
    }

    /** The same agent again (same host, data, ports and settings), not started. */
    public AgentChild again() {
        return new AgentChild(hostNamespace, dataDir, port, apiPort, extraEnv, launcher);
    }

    /** The same agent, its JVM started through {@code prefix} (e.g. strace and its options), not started. */
    public AgentChild launchedWith(List<String> prefix) {
        return new AgentChild(hostNamespace, dataDir, port, apiPort, extraEnv, prefix);
    }

    /** Starts the agent and waits for its "netkeeper agent up" line. */
    public AgentChild start() throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(launcher);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-test.xml").toAbsolutePath(),
                "dev.netkeeper.cli.Main", "agent"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("NETKEEPER_HOST_NAMESPACE", hostNamespace.toString());
        env.put("NETKEEPER_DATA_DIR", dataDir.toString());
        env.put("NETKEEPER_PORT", Integer.toString(port));
        env.put("NETKEEPER_API_PORT", Integer.toString(apiPort));
        env.put("NETKEEPER_HOST_ID", "child-host");
        env.put("NETKEEPER_API_SOCKET", dataDir.resolve("run").resolve("netkeeper.sock").toString());
        env.put("NETKEEPER_DOCKER_SOCKET", ""); // no Docker plugin unless a test asks for one (its own path)
        // the namespaces' resolv.conf files stay in the test's directory unless a test asks for /etc/netns
        env.put("NETKEEPER_DNS_NETNS_ETC", dataDir.resolve("netns-etc").toString());
        env.putAll(extraEnv);
        process = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            synchronized (output) {
                output.add(line);
            }
            if (line.startsWith("netkeeper agent up")) {
                Thread drain = new Thread(() -> drain(r), "agent-child-output");
                drain.setDaemon(true);
                drain.start();
                return this;
            }
        }
        throw new IllegalStateException("the agent ended before it was up:\n" + output());
    }

    /** Starts the agents at once (as a cluster's hosts boot) and waits until each is up; the first failure is thrown. */
    public static void startTogether(List<AgentChild> agents) {
        List<java.util.concurrent.CompletableFuture<AgentChild>> starting = new ArrayList<>();
        for (AgentChild a : agents) {
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return a.start();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        java.util.concurrent.CompletableFuture.allOf(starting.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                .join();
    }

    private void drain(BufferedReader r) {
        try {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException ignored) {
            // the process went away
        }
    }

    /** Where clients reach this agent: its door (netkeeper.api). */
    public String address() {
        return "127.0.0.1:" + apiPort;
    }

    /** A JVM client's credentials, issued from this agent's client CA ({@code netkeeper certs client NAME}). */
    public Path clientCredentials(String name) {
        return TestClients.issue(dataDir.resolve("tls"), name, dataDir.resolve("clients").resolve(name));
    }

    /** Its cluster member address (what seed nodes list). */
    public String clusterAddress() {
        return "127.0.0.1:" + port;
    }

    /** Whether the process ended by itself within {@code millis}. */
    public boolean exitsWithin(long millis) throws InterruptedException {
        return process != null && process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** SIGKILL, and wait until the process is gone. */
    public void kill() throws InterruptedException {
        // through a launcher (strace) the agent's JVM is a child of the process started
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    private static int freePortOrFail() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
