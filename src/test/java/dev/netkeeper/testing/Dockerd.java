package dev.netkeeper.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real dockerd (Debian's docker.io 20.10) of the test's own, inside the test's host namespace ({@code nsenter
 * --net=}): its data root, exec root, pid file and API socket in {@code dir}, no default bridge, with an image made
 * offline from busybox-static ({@link #IMAGE}). A plugin is registered by a uniquely named spec file in
 * {@code /etc/docker/plugins} (dockerd has no flag for its plugin directory), removed again at {@link #close}.
 */
public final class Dockerd implements AutoCloseable {
    public static final String IMAGE = "nkbb:1";
    /** Debian's client, of dockerd's version (another docker client may be first on the PATH). */
    private static final String CLIENT = "/usr/bin/docker";
    private static final Path PLUGINS = Path.of("/etc/docker/plugins");

    private final Path hostNamespace;
    private final Path dir;
    private final List<Path> specs = new ArrayList<>();
    private Process daemon;

    private Dockerd(Path hostNamespace, Path dir) {
        this.hostNamespace = hostNamespace;
        this.dir = dir;
    }

    /** A dockerd not started yet. */
    public static Dockerd in(Path hostNamespace, Path dir) {
        return new Dockerd(hostNamespace, dir);
    }

    /** Starts dockerd with {@code flags} (e.g. --live-restore) and waits until it answers; the image imported once. */
    public Dockerd start(String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + hostNamespace, "/usr/sbin/dockerd",
                "--data-root", dir.resolve("docker").toString(), "--exec-root", dir.resolve("exec").toString(),
                "--pidfile", dir.resolve("docker.pid").toString(), "-H", "unix://" + socket(), "--bridge=none"));
        command.addAll(List.of(flags));
        daemon = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dockerd.log").toFile())).start();
        long deadline = System.currentTimeMillis() + 60_000;
        while (run("version").exitCode() != 0) {
            if (System.currentTimeMillis() > deadline || !daemon.isAlive()) {
                throw new IllegalStateException("dockerd did not start: " + log());
            }
            Thread.sleep(200);
        }
        if (run("image", "inspect", IMAGE).exitCode() != 0) {
            importImage();
        }
        return this;
    }

    /** Stops dockerd (SIGTERM, as systemd does) and waits for it to end; with --live-restore containers keep running. */
    public void stop() throws InterruptedException {
        if (daemon == null) {
            return;
        }
        daemon.destroy();
        if (!daemon.waitFor(60, TimeUnit.SECONDS)) {
            daemon.destroyForcibly();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        // nsenter ends when dockerd does; dockerd itself may take a moment to let go of its pid file
        long deadline = System.currentTimeMillis() + 20_000;
        while (Files.exists(dir.resolve("docker.pid")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        daemon = null;
    }

    public Path socket() {
        return dir.resolve("docker.sock");
    }

    /** Registers the plugin {@code name} served on {@code socket} (read by dockerd at its first use of the name). */
    public void registerPlugin(String name, Path socket) throws IOException {
        Files.createDirectories(PLUGINS);
        Path spec = PLUGINS.resolve(name + ".spec");
        Files.writeString(spec, "unix://" + socket + "\n");
        specs.add(spec);
    }

    private void importImage() throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path tar = dir.resolve("rootfs.tar");
        require(IpOracle.run("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), "."), "tar");
        IpOracle.Result r = run("import", tar.toString(), IMAGE);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("docker import failed: " + r);
        }
    }

    /** Runs {@code docker args...} against this dockerd. */
    public IpOracle.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(CLIENT, "-H", "unix://" + socket()));
        command.addAll(List.of(args));
        return IpOracle.run(120, java.util.Map.of(), command);
    }

    /** As {@link #run}, which must succeed. */
    public IpOracle.Result ok(String... args) {
        IpOracle.Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("docker " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("dockerd.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void require(IpOracle.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(what + " failed: " + r.stdout() + r.stderr());
        }
    }

    /**
     * Every container removed, dockerd stopped, what it left running (its containerd, shims) killed, its mounts
     * undone, its directory and plugin specs removed.
     */
    @Override
    public void close() throws InterruptedException {
        try {
            if (daemon != null) {
                String ids = run("ps", "-aq").stdout().strip();
                if (!ids.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(List.of(ids.split("\\s+")));
                    run(rm.toArray(String[]::new));
                }
            }
            stop();
            IpOracle.run("pkill", "-9", "-f", dir.toString());
            unmountUnder(dir);
        } finally {
            for (Path spec : specs) {
                try {
                    Files.deleteIfExists(spec);
                } catch (IOException ignored) {
                    // a test's own file: removed at the next run at the latest
                }
            }
            try {
                AgentChild.deleteTree(dir);
            } catch (IOException ignored) {
                // a temporary directory
            }
        }
    }

    /** Lazily unmounts every mount point under {@code dir}, deepest first (overlay layers, the netns bind mounts). */
    private static void unmountUnder(Path dir) {
        try {
            List<String> points = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].startsWith(dir.toString())) {
                    points.add(f[4]);
                }
            }
            points.sort(java.util.Comparator.comparingInt(String::length).reversed());
            for (String p : points) {
                IpOracle.run("umount", "-l", p);
            }
        } catch (IOException ignored) {
            // nothing mounted that we can see
        }
    }
}
