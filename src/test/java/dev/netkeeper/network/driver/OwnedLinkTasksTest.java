package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.EnsureVeth;
import dev.netkeeper.kernel.EnsureBridge;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.kernel.LinkNameFree;
import dev.netkeeper.kernel.NameInUseException;
import dev.netkeeper.kernel.PlaceInterface;
import dev.netkeeper.kernel.ReturnInterface;
import dev.netkeeper.kernel.ReturnUnlisted;
import dev.netkeeper.kernel.NamespaceMark;
import dev.netkeeper.kernel.DeleteNamespace;
import dev.netkeeper.kernel.EnsureNamespace;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge driver's kernel tasks against links of other owners (made with {@code ip}) and against their
 * own links cut before they were marked, in a throwaway namespace playing the host.
 */
class OwnedLinkTasksTest {
    private static final LinkMark BRIDGE = LinkMark.bridge("n1");
    private static final LinkMark HOST_END = LinkMark.hostEnd("n1", "c1");
    private static final LinkMark PEER = LinkMark.containerEnd("n1", "c1", "nkcown");

    private ThrowawayNamespace ns;
    private KernelContext kernel;

    @BeforeEach
    void open() {
        ns = ThrowawayNamespace.create("owned");
        kernel = KernelContext.open(Optional.of(ns.path()));
    }

    @AfterEach
    void close() {
        kernel.close();
        ns.close();
    }


    private Link link(String name) {
        return kernel.host().links().get(name).orElseThrow(() -> new AssertionError(name + " is gone"));
    }

    @Test
    void aForeignLinkOfTheWantedNameIsRefusedAndLeftAsItIs() {
        IpOracle.ipIn(ns.name(), "link", "add", "br-x", "type", "bridge");
        IpOracle.ipIn(ns.name(), "link", "add", "nkvforeign", "type", "veth", "peer", "name", "nkcforeign");
        Link bridge = link("br-x");
        Link veth = link("nkvforeign");

        assertThrows(NameInUseException.class, () -> new LinkNameFree("br-x", BRIDGE).run(kernel));
        NameInUseException e = assertThrows(NameInUseException.class,
                () -> new EnsureBridge("br-x", 1400, List.of("10.1.0.1/24"), BRIDGE).run(kernel));
        assertTrue(e.getMessage().contains("link br-x exists and is not netkeeper bridge n1: it is a bridge"), e.getMessage());
        IpOracle.ipIn(ns.name(), "link", "add", "br-ok", "type", "bridge"); // the veth below needs a bridge; any will do
        assertThrows(NameInUseException.class, () -> new EnsureVeth("nkvforeign", "nkcforeign", "02:42:0a:01:00:02",
                "br-ok", 1500, HOST_END, PEER).run(kernel));
        new DeleteLink("br-x", BRIDGE).run(kernel);
        new DeleteLink("nkvforeign", HOST_END).run(kernel);

        assertEquals(bridge, link("br-x"), "no MTU, address, mark or deletion");
        assertEquals(List.of(), kernel.host().addresses().list("br-x"));
        assertEquals(veth, link("nkvforeign"));
    }

    @Test
    void ownLinksAreMarkedAndMadeWithTheirMarksMac() {
        new EnsureBridge("br-own", 1500, List.of("10.2.0.1/24"), BRIDGE).run(kernel);
        new EnsureVeth("nkvown", "nkcown", "02:42:0a:02:00:02", "br-own", 1500, HOST_END, PEER).run(kernel);
        assertEquals(BRIDGE.text(), link("br-own").alias());
        assertEquals(Optional.of(BRIDGE.mac()), link("br-own").mac());
        assertEquals(HOST_END.text(), link("nkvown").alias());
        assertEquals(Optional.of(HOST_END.mac()), link("nkvown").mac());
        assertEquals(PEER.text(), link("nkcown").alias());

        // ensuring again changes nothing; a second network's bridge of the same name is refused
        new EnsureBridge("br-own", 1500, List.of("10.2.0.1/24"), BRIDGE).run(kernel);
        assertThrows(NameInUseException.class,
                () -> new EnsureBridge("br-own", 1500, List.of(), LinkMark.bridge("n2")).run(kernel));
        new DeleteLink("nkvown", HOST_END).run(kernel);
        assertTrue(kernel.host().links().get("nkcown").isEmpty(), "the peer went with its pair");
    }

    @Test
    void anInterfaceIsPlacedAndReturnedByItsMacNeverByItsName() {
        try (ThrowawayNamespace container = ThrowawayNamespace.create("ownedc")) {
            String path = container.path().toString();
            IpOracle.ipIn(container.name(), "link", "add", "eth0", "type", "bridge"); // a stranger holds the name
            Link stranger = kernel.in(container.path()).links().get("eth0").orElseThrow();
            new EnsureBridge("br-own", 1500, List.of("10.3.0.1/24"), BRIDGE).run(kernel);
            new EnsureVeth("nkvown", "nkcown", "02:42:0a:03:00:02", "br-own", 1500, HOST_END, PEER).run(kernel);

            // a namespace without netkeeper's mark is not one netkeeper made: nothing goes into it
            NetkeeperException unmarked = assertThrows(NetkeeperException.class, () -> new PlaceInterface(path,
                    "nkcown", "eth1", "02:42:0a:03:00:02", 1500, List.of(), null, null, null).run(kernel));
            assertEquals(ErrorCode.NO_SUCH_NAMESPACE, unmarked.code(), unmarked.toString());
            NamespaceMark.of(container.path()).put(kernel.in(container.path()));

            NetkeeperException e = assertThrows(NetkeeperException.class, () -> new PlaceInterface(path, "nkcown",
                    "eth0", "02:42:0a:03:00:02", 1500, List.of("10.3.0.2/24"), "10.3.0.1", null, null).run(kernel));
            assertEquals(ErrorCode.DUPLICATE_DST_NAME, e.code(), e.toString());
            assertTrue(e.getMessage().contains("not this interface"), e.getMessage());
            assertEquals(stranger, kernel.in(container.path()).links().get("eth0").orElseThrow(), "not reconfigured");
            assertEquals(List.of(), kernel.in(container.path()).addresses().list("eth0"));
            assertTrue(kernel.host().links().get("nkcown").isPresent(), "the interface stayed in the host");

            // returning "eth0" leaves the stranger where it is; the interface itself goes in and out by its MAC
            new ReturnInterface(path, "eth0", "nkcown", "02:42:0a:03:00:02", null).run(kernel);
            assertEquals(stranger, kernel.in(container.path()).links().get("eth0").orElseThrow());
            new PlaceInterface(path, "nkcown", "eth1", "02:42:0a:03:00:02", 1500, List.of("10.3.0.2/24"), "10.3.0.1",
                    null, null).run(kernel);
            assertEquals(PEER.text(), kernel.in(container.path()).links().get("eth1").orElseThrow().alias());
            new ReturnInterface(path, "eth1", "nkcown", "02:42:0a:03:00:02", null).run(kernel);
            assertTrue(kernel.host().links().get("nkcown").isPresent(), "back in the host");

            // a link the container made itself, given this interface's MAC (anyone with CAP_NET_ADMIN in the
            // namespace can): neither taken as placed nor ever moved into the host
            IpOracle.ipIn(container.name(), "link", "add", "eth5", "address", "02:42:0a:03:00:02", "type", "bridge");
            NetkeeperException forged = assertThrows(NetkeeperException.class, () -> new PlaceInterface(path, "nkcown",
                    "eth5", "02:42:0a:03:00:02", 1500, List.of("10.3.0.2/24"), "10.3.0.1", null, null).run(kernel));
            assertEquals(ErrorCode.DUPLICATE_DST_NAME, forged.code(), forged.toString());
            new ReturnInterface(path, "eth5", "nkcx", "02:42:0a:03:00:02", null).run(kernel);
            assertTrue(kernel.in(container.path()).links().get("eth5").isPresent(), "still the container's");
            assertTrue(kernel.host().links().get("nkcx").isEmpty(), "nothing of the container came into the host");
        }
    }

    @Test
    void whatANamespaceDoesNotListGoesBackToTheHostAndTheContainersOwnLinksStay() {
        try (ThrowawayNamespace container = ThrowawayNamespace.create("strayc")) {
            String path = container.path().toString();
            String mac = "02:42:0a:04:00:02";
            new EnsureBridge("br-own", 1500, List.of("10.4.0.1/24"), BRIDGE).run(kernel);
            new EnsureVeth("nkvown", "nkcown", mac, "br-own", 1500, HOST_END, PEER).run(kernel);
            NamespaceMark.of(container.path()).put(kernel.in(container.path()));
            new PlaceInterface(path, "nkcown", "eth0", mac, 1500, List.of("10.4.0.2/24"), "10.4.0.1", null, null).run(kernel);
            // the container's own link, with a container end's mark forged on it (root in there can set one)
            IpOracle.ipIn(container.name(), "link", "add", "eth9", "type", "veth", "peer", "name", "eth9p");
            IpOracle.ipIn(container.name(), "link", "set", "eth9", "alias", "netkeeper ceth n1/c9 nkc9");

            new ReturnUnlisted(path, List.of(mac), null).run(kernel);
            assertTrue(kernel.in(container.path()).links().get("eth0").isPresent(), "a listed interface stays");

            new ReturnUnlisted(path, List.of(), null).run(kernel);
            assertTrue(kernel.in(container.path()).links().get("eth0").isEmpty(), "an unlisted one went");
            Link back = link("nkcown");
            assertEquals(PEER.text(), back.alias(), "back in the host under the name its mark gives");
            assertTrue(!back.isUp(), "down");
            assertTrue(kernel.in(container.path()).links().get("eth9").isPresent(), "the container's own link stays");
            assertTrue(kernel.host().links().get("nkc9").isEmpty());

            // a stranger took the interface's host name meanwhile: it waits in the namespace, renamed off the
            // namespace's names, and comes back once the name is free; the stranger is never touched
            new PlaceInterface(path, "nkcown", "eth0", mac, 1500, List.of("10.4.0.2/24"), "10.4.0.1", null, null).run(kernel);
            IpOracle.ipIn(ns.name(), "link", "add", "nkcown", "type", "bridge");
            Link stranger = link("nkcown");
            assertThrows(NameInUseException.class, () -> new ReturnUnlisted(path, List.of(), null).run(kernel));
            assertTrue(kernel.in(container.path()).links().get("eth0").isEmpty(), "eth0 is free for the namespace");
            assertEquals(PEER.text(), kernel.in(container.path()).links().get("nkcown").orElseThrow().alias());
            assertEquals(stranger, link("nkcown"));
            IpOracle.ipIn(ns.name(), "link", "del", "nkcown");
            new ReturnUnlisted(path, List.of(), null).run(kernel);
            assertEquals(PEER.text(), link("nkcown").alias(), "back once its name was free");
        }
    }

    @Test
    void aNamespaceWithoutTheMarkIsNeitherClearedNorDeleted() {
        try (ThrowawayNamespace container = ThrowawayNamespace.create("foreignc")) {
            String mac = "02:42:0a:05:00:02";
            new EnsureBridge("br-own", 1500, List.of("10.5.0.1/24"), BRIDGE).run(kernel);
            new EnsureVeth("nkvown", "nkcown", mac, "br-own", 1500, HOST_END, PEER).run(kernel);
            NamespaceMark mark = NamespaceMark.of(container.path());
            mark.put(kernel.in(container.path()));
            new PlaceInterface(container.path().toString(), "nkcown", "eth0", mac, 1500, List.of(), null, null, null).run(kernel);
            kernel.in(container.path()).links().setAlias("lo", "someone else's now");

            new ReturnUnlisted(container.path().toString(), List.of(), null).run(kernel);
            new DeleteNamespace(container.path().toString()).run(kernel);
            assertTrue(NetNamespace.isMounted(container.path()), "not unmounted");
            assertTrue(kernel.in(container.path()).links().get("eth0").isPresent(), "nothing taken out of it");
            NetkeeperException e = assertThrows(NetkeeperException.class,
                    () -> new EnsureNamespace(container.path().toString()).run(kernel));
            assertEquals(ErrorCode.NAMESPACE_EXISTS, e.code(), e.toString());

            mark.put(kernel.in(container.path())); // netkeeper's again: now it is netkeeper's to delete
            new DeleteNamespace(container.path().toString()).run(kernel);
            assertTrue(!NetNamespace.isMounted(container.path()), "unmounted");
        }
    }

    @Test
    void aLinkCutBeforeItWasMarkedIsRecognizedByItsMacAndMarked() {
        // what a crash between creation and marking leaves: our name, our MAC, no alias
        kernel.host().links().addBridge("br-cut", 1500, Optional.of(BRIDGE.mac()));
        new LinkNameFree("br-cut", BRIDGE).run(kernel);
        new EnsureBridge("br-cut", 1500, List.of(), BRIDGE).run(kernel);
        assertEquals(BRIDGE.text(), link("br-cut").alias());

        // the same name with another MAC and no alias is someone else's
        IpOracle.ipIn(ns.name(), "link", "add", "br-other", "type", "bridge");
        assertThrows(NameInUseException.class, () -> new EnsureBridge("br-other", 1500, List.of(), BRIDGE).run(kernel));
        assertEquals("", link("br-other").alias());
    }
}
