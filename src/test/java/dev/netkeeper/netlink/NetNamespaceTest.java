package dev.netkeeper.netlink;

import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NetNamespace: creating, opening and deleting mounted namespaces, and entering one with call(). */
class NetNamespaceTest {
    private static final Path THREAD_NS = Path.of("/proc/thread-self/ns/net");

    /** Paths this test may have created; removed afterwards whatever happened. */
    private final List<Path> created = new ArrayList<>();
    private final List<NetNamespace> opened = new ArrayList<>();

    @BeforeEach
    void threadStartsInTheMachineNamespace() throws IOException {
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")), Files.readSymbolicLink(THREAD_NS));
    }

    @AfterEach
    void cleanUp() {
        opened.forEach(NetNamespace::close);
        for (Path p : created) {
            if (Files.exists(p)) {
                NetNamespace.delete(p);
            }
        }
    }

    @Test
    void createdNamespaceIsVisibleToIproute2() {
        Path path = newPath("create");

        NetNamespace ns = keep(NetNamespace.create(path));

        assertTrue(IpOracle.namespaces().contains(path.getFileName().toString()), IpOracle.namespaces().toString());
        assertEquals(List.of("lo"), IpOracle.linkNames(path.getFileName().toString()), "ip -n NAME link works");
        assertEquals(path, ns.path());
        assertEquals(path.getFileName().toString(), ns.name());
        assertTrue(ns.fd() >= 0);
    }

    @Test
    void openExistingSeesTheSameNamespace() throws IOException {
        Path path = newPath("open");
        NetNamespace a = keep(NetNamespace.create(path));
        IpOracle.Result r = IpOracle.run("ip", "-n", path.getFileName().toString(), "link", "add", "nktdum0", "type", "veth", "peer", "name", "nktdum0p");
        assertEquals(0, r.exitCode(), r.stderr());

        NetNamespace b = keep(NetNamespace.open(path));

        String inA = a.call(() -> Files.readSymbolicLink(THREAD_NS).toString());
        String inB = b.call(() -> Files.readSymbolicLink(THREAD_NS).toString());
        assertEquals(inA, inB);
        try (Handle h = Handle.open(b)) {
            assertTrue(h.links().get("nktdum0").isPresent(), "the link made by iproute2 is seen through the reopened namespace");
        }
    }

    @Test
    void deleteRemovesItFromIproute2AndTheFile() {
        Path path = newPath("delete");
        NetNamespace.create(path).close();
        assertTrue(IpOracle.namespaces().contains(path.getFileName().toString()));

        NetNamespace.delete(path);

        assertFalse(IpOracle.namespaces().contains(path.getFileName().toString()), IpOracle.namespaces().toString());
        assertFalse(Files.exists(path));
        IpOracle.Result r = IpOracle.run("ip", "-n", path.getFileName().toString(), "link", "show");
        assertNotEquals(0, r.exitCode(), "ip -n on a deleted namespace must fail");
    }

    @Test
    void creatingAnExistingPathIsEexistAndLeavesItAlone() throws IOException {
        Path path = newPath("exists");
        NetNamespace first = keep(NetNamespace.create(path));
        String before = first.call(() -> Files.readSymbolicLink(THREAD_NS).toString());

        KernelException e = assertThrows(KernelException.class, () -> keep(NetNamespace.create(path)));

        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("creating namespace " + path, e.operation());
        assertTrue(e.getMessage().startsWith("EEXIST creating namespace " + path), e.getMessage());
        try (NetNamespace again = NetNamespace.open(path)) {
            assertEquals(before, again.call(() -> Files.readSymbolicLink(THREAD_NS).toString()),
                    "the existing namespace is still mounted there");
        }
    }

    @Test
    void deletingAMissingNamespaceIsEnoent() {
        Path path = newPath("missing");

        KernelException e = assertThrows(KernelException.class, () -> NetNamespace.delete(path));

        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("deleting namespace " + path, e.operation());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }

    @Test
    void callRunsInsideAndReturnsTheThreadToItsNamespace() throws IOException {
        Path path = newPath("call");
        NetNamespace ns = keep(NetNamespace.create(path));
        Path home = Files.readSymbolicLink(THREAD_NS);

        Path inside = ns.call(() -> Files.readSymbolicLink(THREAD_NS));

        assertNotEquals(home, inside);
        assertEquals("net:[" + inodeOf(path) + "]", inside.toString(), "inside the namespace mounted at " + path);
        assertEquals(home, Files.readSymbolicLink(THREAD_NS), "back home after call()");
    }

    @Test
    void callReturnsHomeEvenWhenTheWorkThrows() throws IOException {
        NetNamespace ns = keep(NetNamespace.create(newPath("throw")));
        Path home = Files.readSymbolicLink(THREAD_NS);
        AtomicReference<Path> seen = new AtomicReference<>();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ns.call(() -> {
            seen.set(Files.readSymbolicLink(THREAD_NS));
            throw new IOException("boom");
        }));
        assertThrows(UnsupportedOperationException.class, () -> ns.run(() -> {
            throw new UnsupportedOperationException("boom");
        }));

        assertEquals("boom", e.getMessage());
        assertNotEquals(home, seen.get());
        assertEquals(home, Files.readSymbolicLink(THREAD_NS));
    }

    @Test
    void callOnAClosedNamespaceIsRefused() throws IOException {
        NetNamespace ns = NetNamespace.create(newPath("closed"));
        ns.close();
        Path home = Files.readSymbolicLink(THREAD_NS);

        assertThrows(IllegalStateException.class, () -> ns.call(() -> "never"));
        assertThrows(IllegalStateException.class, ns::fd);
        assertEquals(home, Files.readSymbolicLink(THREAD_NS));
    }

    @Test
    void aHandleOpenedInsideWorksFromAnotherThread() throws Exception {
        Path path = newPath("thread");
        NetNamespace ns = keep(NetNamespace.create(path));
        IpOracle.Result r = IpOracle.run("ip", "-n", path.getFileName().toString(), "link", "add", "nktdum1", "type", "veth", "peer", "name", "nktdum1p");
        assertEquals(0, r.exitCode(), r.stderr());
        try (Handle h = Handle.open(ns)) {
            AtomicReference<List<String>> names = new AtomicReference<>();
            AtomicReference<Path> threadNs = new AtomicReference<>();
            // Read-only from the other thread: the socket answers for the namespace it was opened in.
            Thread t = new Thread(() -> {
                names.set(h.links().list().stream().map(Link::name).toList());
                try {
                    threadNs.set(Files.readSymbolicLink(THREAD_NS));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            t.join();
            assertEquals(List.of("lo", "nktdum1p", "nktdum1"), names.get());
            assertEquals(IpOracle.linkNames(path.getFileName().toString()), names.get());
            assertEquals(Files.readSymbolicLink(THREAD_NS), threadNs.get(), "the other thread never moved");
        }
    }

    private static long inodeOf(Path nsFile) throws IOException {
        return (Long) Files.getAttribute(nsFile, "unix:ino");
    }

    private NetNamespace keep(NetNamespace ns) {
        opened.add(ns);
        return ns;
    }

    private Path newPath(String role) {
        byte[] random = new byte[3];
        ThreadLocalRandom.current().nextBytes(random);
        Path p = ThrowawayNamespace.ROOT.resolve(ThrowawayNamespace.PREFIX + "ns" + role + "-" + HexFormat.of().formatHex(random));
        created.add(p);
        return p;
    }
}
