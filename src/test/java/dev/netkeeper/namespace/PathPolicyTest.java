package dev.netkeeper.namespace;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathPolicyTest {
    static final PathPolicy NETNS = new PathPolicy(List.of(Path.of("/var/run/netns")));
    static final PathPolicy TWO_ROOTS = new PathPolicy(List.of(Path.of("/var/run/netns"), Path.of("/var/run/netkeeper")));

    static Path temp;
    static PathPolicy tempPolicy;

    @BeforeAll
    static void makeTempRoot() throws IOException {
        temp = Files.createTempDirectory(Path.of("/tmp"), "nk-pathpolicy-");
        Files.createDirectory(temp.resolve("real"));
        Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"));
        Path root = Files.createDirectory(temp.resolve("root"));
        Files.createDirectory(root.resolve("dir"));
        Files.createFile(root.resolve("ns1"));
        Files.createSymbolicLink(root.resolve("link"), elsewhere);
        Files.createSymbolicLink(root.resolve("filelink"), root.resolve("ns1"));
        Files.createSymbolicLink(root.resolve("dangling"), temp.resolve("missing"));
        Files.createSymbolicLink(root.resolve("dir").resolve("inner"), elsewhere);
        tempPolicy = new PathPolicy(List.of(root));
    }

    @AfterAll
    static void removeTempRoot() throws IOException {
        if (temp == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(temp)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static NetkeeperException refused(PathPolicy policy, String path, String why) {
        NetkeeperException e = assertThrows(NetkeeperException.class, () -> policy.check(path), path);
        assertEquals(ErrorCode.PATH_NOT_ALLOWED, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("'" + path + "'"), e.getMessage() + " should name the path");
        assertTrue(e.getMessage().contains(why), e.getMessage() + " should say " + why);
        return e;
    }

    @Test
    void acceptsAPathBelowARoot() {
        assertEquals(Path.of("/var/run/netns/x"), NETNS.check("/var/run/netns/x"));
        assertEquals(Path.of("/var/run/netns/c1-app_2.ns"), NETNS.check("/var/run/netns/c1-app_2.ns"));
        assertEquals(Path.of("/var/run/netns/a/b"), NETNS.check("/var/run/netns/a/b"));
        assertEquals(Path.of("/var/run/netkeeper/y"), TWO_ROOTS.check("/var/run/netkeeper/y"));
        assertEquals(Path.of("/var/run/netns/x"), TWO_ROOTS.check("/var/run/netns/x"));
    }

    @Test
    void rootsAreNormalized() {
        PathPolicy p = new PathPolicy(List.of(Path.of("/var/run/netns/../netns/")));
        assertEquals(List.of(Path.of("/var/run/netns")), p.roots());
        assertEquals(Path.of("/var/run/netns/x"), p.check("/var/run/netns/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "netns/x", "var/run/netns/x", "./x", "~/x"})
    void refusesRelativePaths(String path) {
        refused(NETNS, path, "not an absolute path");
    }

    @Test
    void refusesNullAndEmpty() {
        NetkeeperException e = assertThrows(NetkeeperException.class, () -> NETNS.check(null));
        assertEquals(ErrorCode.PATH_NOT_ALLOWED, e.code());
        assertTrue(e.getMessage().contains("not an absolute path"), e.getMessage());
        refused(NETNS, "", "not an absolute path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/run/netns/../netns/x", "/var/run/netns/x/..", "/var/run/netns/..",
            "/var/run/netns/../../../etc/passwd", "/var/run/netns/a/../b"})
    void refusesDotDot(String path) {
        refused(NETNS, path, "contains '..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/run/netns/./x", "/var/run/netns/x/.", "/var/run/netns/."})
    void refusesDot(String path) {
        refused(NETNS, path, "contains '.'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/run/netns", "/var/run/netns/", "/var/run/netns//"})
    void refusesTheRootItself(String path) {
        refused(NETNS, path, "an allowed directory itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/tmp/x", "/var/run/netnsx/y", "/var/run/net", "/var/run", "/", "/etc/netns/x",
            "/var/run/netkeeper/x"})
    void refusesPathsOutsideTheRoots(String path) {
        refused(NETNS, path, "outside the allowed directories [/var/run/netns]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/run/netns/a:b", "/var/run/netns/:", "/var/run/netns/x:"})
    void refusesNamesWithAColon(String path) {
        refused(NETNS, path, "contains ':'");
    }

    @Test
    void refusesPathsTheFileSystemCannotHold() {
        refused(NETNS, "/var/run/netns/a\0b", "not a valid path");
    }

    @Test
    void acceptsRealFilesAndDirectoriesUnderATempRoot() {
        Path root = tempPolicy.roots().get(0);
        assertEquals(root.resolve("ns1"), tempPolicy.check(root + "/ns1"));
        assertEquals(root.resolve("new"), tempPolicy.check(root + "/new"), "a path that does not exist yet");
        assertEquals(root.resolve("dir/ns2"), tempPolicy.check(root + "/dir/ns2"));
    }

    @Test
    void refusesASymlink() {
        Path root = tempPolicy.roots().get(0);
        refused(tempPolicy, root + "/link", root + "/link is a symbolic link");
        refused(tempPolicy, root + "/filelink", root + "/filelink is a symbolic link");
        refused(tempPolicy, root + "/dangling", root + "/dangling is a symbolic link");
    }

    @Test
    void refusesASymlinkOnTheWay() {
        Path root = tempPolicy.roots().get(0);
        refused(tempPolicy, root + "/link/ns", root + "/link is a symbolic link");
        refused(tempPolicy, root + "/dir/inner/ns", root + "/dir/inner is a symbolic link");
    }

    @Test
    void theSymlinkTargetIsStillOutside() {
        // the symlink points into temp/elsewhere, which is not a root
        refused(tempPolicy, temp + "/elsewhere/ns", "outside the allowed directories");
        refused(tempPolicy, temp + "/real/ns", "outside the allowed directories");
    }
}
