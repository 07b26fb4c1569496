package dev.netkeeper.netlink;

import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Namespaces are made and removed beneath their root's descriptor only: a symlink or ".." put at or above
 * a path (after any check of it) leads nowhere else, so nothing outside the root is created, unmounted or
 * deleted. Each case would have reached outside with path-based calls.
 */
class NamespaceRootTest {
    private Path base;
    private Path outside;
    private Path dir;
    private NamespaceRoot root;

    @BeforeEach
    void open() throws IOException {
        base = Files.createTempDirectory("nk-root-");
        outside = Files.createTempDirectory("nk-outside-");
        dir = base.resolve("netns");
        root = NamespaceRoot.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        try (Stream<Path> left = Files.list(dir)) {
            for (Path p : left.toList()) {
                if (!Files.isSymbolicLink(p) && NetNamespace.isMounted(p)) {
                    NetNamespace.delete(root, dir.relativize(p));
                }
            }
        }
        root.close();
        for (Path p : List.of(base, outside)) {
            try (Stream<Path> walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /**
     * /run/netns is a shared mount of its own once a root there is open, as ip netns leaves it: Podman (or ip netns)
     * then only makes it shared again, and never binds it onto itself over the namespaces mounted there already (whose
     * paths would then show empty files to everyone, and the agent's held descriptor another directory than theirs).
     */
    @Test
    void runNetnsBecomesASharedMountOfItsOwnAndNamespacesStayReachable() throws Exception {
        try (NamespaceRoot root = NamespaceRoot.open(Path.of("/var/run/netns"));
             ThrowawayNamespace ns = ThrowawayNamespace.create("shared")) {
            List<String> mounts = Files.readAllLines(Path.of("/proc/self/mountinfo"));
            assertTrue(mounts.stream().anyMatch(l -> l.split(" ")[4].equals("/run/netns") && l.contains(" shared:")),
                    "a shared mount at /run/netns: " + mounts);
            assertTrue(root.below(ns.path()).isPresent());
            try (NetNamespace again = NetNamespace.open(ns.path())) {
                assertTrue(again.fd() >= 0, "the namespace is reached by its path");
            }
        }
    }

    @Test
    void makesMountsAndRemovesBeneathTheRoot() {
        NetNamespace.create(root, Path.of("c1")).close();
        assertTrue(NetNamespace.isNamespace(dir.resolve("c1")));
        NetNamespace.delete(root, Path.of("c1"));
        assertFalse(Files.exists(dir.resolve("c1")));
    }

    @Test
    void aSymlinkedDirectoryIsNotFollowed() throws IOException {
        Files.createSymbolicLink(dir.resolve("evil"), outside);
        assertThrows(KernelException.class, () -> NetNamespace.create(root, Path.of("evil/c1")));
        try (Stream<Path> made = Files.list(outside)) {
            assertEquals(List.of(), made.toList(), "nothing made outside the root");
        }
    }

    @Test
    void dotDotLeadsNowhere() {
        assertThrows(KernelException.class, () -> NetNamespace.create(root, Path.of("../escape")));
        assertFalse(Files.exists(base.resolve("escape")));
    }

    @Test
    void aSymlinkAtThePathIsNeitherUnmountedNorDeleted() throws IOException {
        Path victim = Files.writeString(outside.resolve("victim"), "keep me");
        Files.createSymbolicLink(dir.resolve("to-file"), victim);
        assertThrows(KernelException.class, () -> NetNamespace.delete(root, Path.of("to-file")));
        assertEquals("keep me", Files.readString(victim));

        // the agent's own step, as a converge or an ns rm runs it: a symlink to a namespace mounted elsewhere
        try (ThrowawayNamespace mounted = ThrowawayNamespace.create("rootvictim");
             KernelContext kernel = KernelContext.open(Optional.empty(), List.of(dir))) {
            Files.createSymbolicLink(dir.resolve("to-mount"), mounted.path());
            assertThrows(KernelException.class, () -> kernel.deleteNamespace(dir.resolve("to-mount")));
            assertTrue(NetNamespace.isMounted(mounted.path()), "the namespace the link points to is still mounted");
            assertThrows(NetkeeperException.class, () -> kernel.deleteNamespace(outside.resolve("x")),
                    "a path outside every root is refused");
        }
    }

    @Test
    void onlyAnEmptyMountPointIsTakenForALeftoverOfOurs() throws IOException {
        try (KernelContext kernel = KernelContext.open(Optional.empty(), List.of(dir))) {
            Path someones = Files.writeString(dir.resolve("data"), "not a mount point");
            assertThrows(NetkeeperException.class, () -> kernel.ensureNamespace(someones));
            assertEquals("not a mount point", Files.readString(someones), "left as it is");

            Path leftover = Files.createFile(dir.resolve("cut")); // a create cut before its mount
            kernel.ensureNamespace(leftover);
            assertTrue(NetNamespace.isNamespace(leftover), "made on it");
        }
    }

    @Test
    void theConfiguredAndTheRealSpellingAreBothBeneath() throws IOException {
        Path real = Files.createDirectories(base.resolve("run/netns"));
        Path alias = Files.createSymbolicLink(base.resolve("varrun"), base.resolve("run"));
        try (NamespaceRoot viaAlias = NamespaceRoot.open(alias.resolve("netns"))) {
            assertEquals(Optional.of(Path.of("c1")), viaAlias.below(alias.resolve("netns/c1")));
            assertEquals(Optional.of(Path.of("c1")), viaAlias.below(real.resolve("c1")));
            assertEquals(Optional.empty(), viaAlias.below(base.resolve("other/c1")));
            assertEquals(Optional.empty(), viaAlias.below(real), "the root itself is no namespace path");
        }
    }
}
