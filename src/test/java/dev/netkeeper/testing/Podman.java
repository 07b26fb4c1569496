package dev.netkeeper.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Podman (Debian's 4.3, CNI backend, runc) of the test's own: its storage, run and temporary directories,
 * its containers.conf and its CNI configuration directory in {@code dir}, run inside the test's host namespace
 * ({@code nsenter --net=}), with container limits that fit this machine ({@code default_ulimits}, see FACTS) and
 * an image made offline from busybox-static ({@link #IMAGE}).
 */
public final class Podman implements AutoCloseable {
    public static final String IMAGE = "localhost/nkbb:1";

    private final Path hostNamespace;
    private final Path dir;

    private Podman(Path hostNamespace, Path dir) {
        this.hostNamespace = hostNamespace;
        this.dir = dir;
    }

    /** A Podman whose network configurations are {@code conflists} (file name → content), plugins from {@code pluginDirs}. */
    public static Podman in(Path hostNamespace, Path dir, java.util.Map<String, String> conflists, List<Path> pluginDirs)
            throws IOException {
        Path cni = Files.createDirectories(dir.resolve("cni"));
        for (var c : conflists.entrySet()) {
            Files.writeString(cni.resolve(c.getKey()), c.getValue());
        }
        StringBuilder plugins = new StringBuilder();
        for (Path p : pluginDirs) {
            plugins.append(plugins.length() == 0 ? "" : ", ").append('"').append(p).append('"');
        }
        Files.writeString(dir.resolve("containers.conf"), String.join("\n",
                "[containers]",
                "default_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]",
                "[engine]",
                "runtime = \"runc\"",
                "[network]",
                "network_backend = \"cni\"",
                "cni_plugin_dirs = [" + plugins + "]",
                "network_config_dir = \"" + cni + "\"", ""));
        Podman podman = new Podman(hostNamespace, dir);
        podman.importImage();
        return podman;
    }

    private void importImage() throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("busybox"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path tar = dir.resolve("rootfs.tar");
        require(IpOracle.run("tar", "-C", dir.resolve("rootfs").toString(), "-cf", tar.toString(), "."), "tar");
        require(run("import", tar.toString(), IMAGE), "podman import");
    }

    /** Runs {@code podman args...} as this test's Podman, in the test's host namespace. */
    public IpOracle.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=" + hostNamespace, "podman",
                "--root", dir.resolve("storage").toString(), "--runroot", dir.resolve("run").toString(),
                "--tmpdir", dir.resolve("tmp").toString(), "--cgroup-manager", "cgroupfs", "--events-backend", "file"));
        command.addAll(List.of(args));
        return IpOracle.run(120, java.util.Map.of("CONTAINERS_CONF", dir.resolve("containers.conf").toString()), command);
    }

    /** As {@link #run}, which must succeed. */
    public IpOracle.Result ok(String... args) {
        IpOracle.Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " failed: " + r);
        }
        return r;
    }

    private static void require(IpOracle.Result r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(what + " failed: " + r.stdout() + r.stderr());
        }
    }

    /** Removes every container of this Podman (their networks torn down through the plugin) and its storage. */
    @Override
    public void close() {
        run("rm", "--all", "--force", "--time", "0");
        run("system", "reset", "--force");
        try {
            AgentChild.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}
