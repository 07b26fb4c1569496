package dev.netkeeper.kernel;

import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.Errno;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.KernelException;
import dev.netkeeper.kernel.EnsureBridge;
import dev.netkeeper.kernel.EnsureVeth;
import dev.netkeeper.kernel.BridgePorts;
import org.apache.pekko.Done;
import org.apache.pekko.pattern.StatusReply;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kernel task values and the netlink actor's error mapping, without touching the kernel. */
class KernelTaskTest {
    /** A task that records its run and then fails as told (null: succeeds). */
    record Recording(String name, List<String> log, Supplier<RuntimeException> failure) implements KernelTask {
        @Override
        public void run(KernelContext kernel) {
            log.add(name);
            if (failure != null) {
                throw failure.get();
            }
        }

        @Override
        public String describe() {
            return "record " + name;
        }
    }

    @Test
    void aNamespaceMarkNamesItsPathAndFitsAnAliasWhateverThePath() {
        assertEquals("netkeeper namespace /var/run/netns/c1", NamespaceMark.of(java.nio.file.Path.of("/var/run/netns/c1")).text());
        String deep = "/var/run/netns/" + "d/".repeat(150) + "c1";
        String other = "/var/run/netns/" + "d/".repeat(150) + "c2";
        NamespaceMark a = NamespaceMark.of(java.nio.file.Path.of(deep));
        assertTrue(a.text().length() <= 255, a.text()); // IFALIASZ
        assertTrue(a.text().startsWith("netkeeper namespace sha256:"), a.text());
        assertTrue(!a.equals(NamespaceMark.of(java.nio.file.Path.of(other))), "two paths, two marks");
    }

    @Test
    void aContainerEndsMarkNamesItsHostName() {
        LinkMark mark = LinkMark.containerEnd("net1", "c1", "nkc0123456789ab");
        assertEquals("netkeeper ceth net1/c1 nkc0123456789ab", mark.text());
    }

    @Test
    void aSequenceRunsInOrderAndStopsAtTheFirstFailure() {
        List<String> log = new ArrayList<>();
        TaskSequence ok = new TaskSequence(List.of(new Recording("a", log, null), new Recording("b", log, null)));
        ok.run(null);
        assertEquals(List.of("a", "b"), log);

        log.clear();
        TaskSequence failing = new TaskSequence(List.of(new Recording("a", log, null),
                new Recording("b", log, () -> new IllegalStateException("boom")), new Recording("c", log, null)));
        assertThrows(IllegalStateException.class, () -> failing.run(null));
        assertEquals(List.of("a", "b"), log);
        assertEquals("record a; record b; record c", failing.describe());
    }

    @Test
    void aSequenceCopiesItsSteps() {
        List<KernelTask> steps = new ArrayList<>(List.of(new DeleteLink("x", LinkMark.bridge("n"))));
        TaskSequence seq = new TaskSequence(steps);
        steps.add(new DeleteLink("y", LinkMark.bridge("n")));
        assertEquals(List.of(new DeleteLink("x", LinkMark.bridge("n"))), seq.steps());
        assertThrows(UnsupportedOperationException.class, () -> seq.steps().add(new DeleteLink("z", LinkMark.bridge("n"))));
    }

    @Test
    void portsAndHostRoutesCopyTheirCollections() {
        EnsureVeth one = new EnsureVeth("veth1", "ceth1", "02:42:0a:00:00:02", "br0", 1500,
                LinkMark.hostEnd("n", "e1"), LinkMark.containerEnd("n", "e1", "ceth1"));
        List<EnsureVeth> veths = new ArrayList<>(List.of(one));
        BridgePorts ports = new BridgePorts("br0", "n", veths);
        veths.add(new EnsureVeth("veth2", "ceth2", "02:42:0a:00:00:03", "br0", 1500,
                LinkMark.hostEnd("n", "e2"), LinkMark.containerEnd("n", "e2", "ceth2")));
        assertEquals(List.of(one), ports.veths());
        List<String> routes = new ArrayList<>(List.of("10.0.0.0/8"));
        NetlinkActor.HostRoutes hr = new NetlinkActor.HostRoutes(routes);
        routes.clear();
        assertEquals(List.of("10.0.0.0/8"), hr.destinations());
    }

    @Test
    void describeNamesWhatIsDone() {
        assertEquals("ensure namespace /var/run/netns/c1", new EnsureNamespace("/var/run/netns/c1").describe());
        assertEquals("delete namespace /var/run/netns/c1", new DeleteNamespace("/var/run/netns/c1").describe());
        assertEquals("delete link veth1 (netkeeper veth n/e1)", new DeleteLink("veth1", LinkMark.hostEnd("n", "e1")).describe());
        assertEquals("place ceth1 as eth0 in /var/run/netns/c1", new PlaceInterface("/var/run/netns/c1", "ceth1",
                "eth0", "02:42:0a:00:00:02", 1500, List.of(), null, null, null).describe());
        assertEquals("return eth0 from /var/run/netns/c1 to the host as ceth1",
                new ReturnInterface("/var/run/netns/c1", "eth0", "ceth1", "02:42:0a:00:00:02", null).describe());
        assertEquals("ensure bridge nk-1", new EnsureBridge("nk-1", 1500, List.of(), LinkMark.bridge("n")).describe());
        assertEquals("ensure veth veth1 (peer ceth1) on nk-1",
                new EnsureVeth("veth1", "ceth1", "02:42:0a:00:00:02", "nk-1", 1500,
                        LinkMark.hostEnd("n", "e1"), LinkMark.containerEnd("n", "e1", "ceth1")).describe());
        assertEquals("ensure exactly 0 veth(s) of ours on nk-1", new BridgePorts("nk-1", "n", List.of()).describe());
    }

    private static NetkeeperException error(StatusReply<Done> reply) {
        assertTrue(reply.isError(), "expected an error, got " + reply);
        return NetkeeperException.fromWire(reply.getError().getMessage());
    }

    @Test
    void executeAcknowledgesSuccess() {
        List<String> log = new ArrayList<>();
        StatusReply<Done> reply = NetlinkActor.execute(null, new Recording("a", log, null));
        assertTrue(reply.isSuccess());
        assertEquals(List.of("a"), log);
    }

    @Test
    void executeTypesKernelRefusals() {
        NetkeeperException e = error(NetlinkActor.execute(null, new Recording("a", new ArrayList<>(),
                () -> new KernelException(Errno.EEXIST, "creating bridge nk-1"))));
        assertEquals(ErrorCode.KERNEL, e.code());
        assertTrue(e.getMessage().startsWith("EEXIST creating bridge nk-1"), e.getMessage());
    }

    @Test
    void executeTypesInvalidNames() {
        NetkeeperException e = error(NetlinkActor.execute(null, new Recording("a", new ArrayList<>(),
                () -> new InvalidNameException("link name 'a/b' contains '/'"))));
        assertEquals(ErrorCode.INVALID_NAME, e.code());
        assertEquals("link name 'a/b' contains '/'", e.getMessage());
    }

    @Test
    void executeReportsOtherFailuresWithTheTask() {
        NetkeeperException e = error(NetlinkActor.execute(null, new Recording("a", new ArrayList<>(),
                () -> new IllegalStateException("link nk-1 exists but is a veth"))));
        assertEquals(ErrorCode.INTERNAL, e.code(), "not the kernel's refusal: a failure nobody expected");
        assertTrue(e.getMessage().startsWith("record a failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("link nk-1 exists but is a veth"), e.getMessage());
    }
}
