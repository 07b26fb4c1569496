package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the kernel refuses, and how we report it: errno, the operation, and a message that names the
 * link (and carries the kernel's extended-ack text when it sent one).
 */
class KernelErrorsTest {
    private ThrowawayNamespace ns;
    private LinkOps links;

    @BeforeEach
    void createNamespace() {
        ns = ThrowawayNamespace.create("err");
        links = ns.handle().links();
    }

    @AfterEach
    void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void bridgeTwiceIsEexist() {
        links.addBridge("nktbr0", 1400, Optional.empty());

        KernelException e = assertThrows(KernelException.class, () -> links.addBridge("nktbr0", 0, Optional.empty()));

        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("creating bridge nktbr0", e.operation());
        assertTrue(e.getMessage().contains("EEXIST creating bridge nktbr0"), e.getMessage());
        assertEquals(1400, IpOracle.link(ns.name(), "nktbr0").path("mtu").asInt(), "the first bridge is untouched");
        assertEquals(List.of("lo", "nktbr0"), IpOracle.linkNames(ns.name()));
    }

    @Test
    void vethOverAnExistingNameIsEexist() {
        links.addBridge("nktbr0", 0, Optional.empty());

        KernelException e = assertThrows(KernelException.class,
                () -> links.addVeth("nktv0", "nktbr0", 0, Optional.empty()));

        assertEquals(Errno.EEXIST, e.errno());
        assertEquals("creating veth nktv0 (peer nktbr0)", e.operation());
        assertTrue(e.getMessage().startsWith("EEXIST creating veth nktv0 (peer nktbr0)"), e.getMessage());
        assertEquals(List.of("lo", "nktbr0"), IpOracle.linkNames(ns.name()), "no half-made pair");
    }

    @Test
    void setUpOfAMissingLinkIsEnodev() {
        KernelException e = assertThrows(KernelException.class, () -> links.setUp("nktmissing0"));

        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("setting nktmissing0 up", e.operation());
        assertTrue(e.getMessage().startsWith("ENODEV setting nktmissing0 up"), e.getMessage());
    }

    @Test
    void deleteOfAMissingLinkIsEnodev() {
        KernelException e = assertThrows(KernelException.class, () -> links.delete("nktmissing1"));

        assertEquals(Errno.ENODEV, e.errno());
        assertEquals("deleting link nktmissing1", e.operation());
        assertTrue(e.getMessage().startsWith("ENODEV deleting link nktmissing1"), e.getMessage());
    }

    @Test
    void operationsThatLookTheLinkUpFirstAreEnodevToo() {
        links.addBridge("nktbr0", 0, Optional.empty());

        KernelException master = assertThrows(KernelException.class, () -> links.setMaster("nktv9", "nktmissing2"));
        KernelException rename = assertThrows(KernelException.class, () -> links.rename("nktmissing3", "nktnew"));
        KernelException address = assertThrows(KernelException.class,
                () -> ns.handle().addresses().add("nktmissing4", IpPrefix.parse("10.1.2.3/24")));

        assertEquals(Errno.ENODEV, master.errno());
        assertEquals("setting master of nktv9 to nktmissing2", master.operation());
        assertTrue(master.getMessage().contains("nktmissing2"), master.getMessage());
        assertEquals(Errno.ENODEV, rename.errno());
        assertEquals("renaming nktmissing3 to nktnew", rename.operation());
        assertTrue(rename.getMessage().startsWith("ENODEV renaming nktmissing3 to nktnew"), rename.getMessage());
        assertEquals(Errno.ENODEV, address.errno());
        assertTrue(address.getMessage().contains("nktmissing4"), address.getMessage());
    }

    @Test
    void mtuBelowTheMinimumIsEinvalWithTheKernelsText() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());

        KernelException e = assertThrows(KernelException.class, () -> links.setMtu("nktv0", 10));

        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("setting MTU of nktv0 to 10", e.operation());
        assertNotNull(e.kernelMessage(), "extended ack text");
        assertTrue(e.kernelMessage().toLowerCase().contains("mtu"), e.kernelMessage());
        assertTrue(e.getMessage().startsWith("EINVAL setting MTU of nktv0 to 10: "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(kernel: " + e.kernelMessage() + ")"), e.getMessage());
        assertEquals(1500, IpOracle.link(ns.name(), "nktv0").path("mtu").asInt());
    }

    /**
     * The brief (and LinkOps.rename's Javadoc) expect EBUSY when renaming a link that is up. Linux 6.2
     * ("net/core: Allow live renaming when an interface is up") dropped that check: on such a kernel the
     * rename succeeds. This test pins down whichever behaviour the running kernel has.
     */
    @Test
    void renamingALinkThatIsUp() throws IOException {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        links.setUp("nktv0");

        if (kernelAtLeast(6, 2)) {
            links.rename("nktv0", "nktlive0");
            JsonNode renamed = IpOracle.link(ns.name(), "nktlive0");
            assertNotNull(renamed, IpOracle.linkNames(ns.name()).toString());
            assertTrue(IpOracle.flags(renamed).contains("UP"), "renamed while up, and still up");
            assertNull(IpOracle.link(ns.name(), "nktv0"));
        } else {
            KernelException e = assertThrows(KernelException.class, () -> links.rename("nktv0", "nktlive0"));
            assertEquals(Errno.EBUSY, e.errno());
            assertEquals("renaming nktv0 to nktlive0", e.operation());
            assertTrue(e.getMessage().startsWith("EBUSY renaming nktv0 to nktlive0"), e.getMessage());
            assertNotNull(IpOracle.link(ns.name(), "nktv0"));
        }
    }

    /**
     * EBUSY on any kernel: a link that already has an rx handler (here: it carries a macvlan, made with
     * iproute2) cannot become a bridge port.
     */
    @Test
    void enslavingALinkThatIsAlreadyInUseIsEbusy() {
        links.addBridge("nktbr0", 0, Optional.empty());
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "link", "add", "nktmv0", "link", "nktv0", "type", "macvlan");
        assumeTrue(r.exitCode() == 0, "macvlan unavailable: " + r.stderr());

        KernelException e = assertThrows(KernelException.class, () -> links.setMaster("nktv0", "nktbr0"));

        assertEquals(Errno.EBUSY, e.errno());
        assertEquals("setting master of nktv0 to nktbr0", e.operation());
        assertTrue(e.getMessage().startsWith("EBUSY setting master of nktv0 to nktbr0: "), e.getMessage());
        assertFalse(IpOracle.link(ns.name(), "nktv0").has("master"));
    }

    @Test
    void openingAMissingNamespaceIsEnoent() {
        Path missing = ThrowawayNamespace.ROOT.resolve(ThrowawayNamespace.PREFIX + "never-made");
        assertFalse(Files.exists(missing));

        KernelException e = assertThrows(KernelException.class, () -> NetNamespace.open(missing));

        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("opening namespace " + missing, e.operation());
        assertTrue(e.getMessage().startsWith("ENOENT opening namespace " + missing), e.getMessage());
    }

    @Test
    void addressErrors() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        AddressOps addresses = ns.handle().addresses();
        addresses.add("nktv0", IpPrefix.parse("10.1.0.2/24"));

        KernelException twice = assertThrows(KernelException.class,
                () -> addresses.add("nktv0", IpPrefix.parse("10.1.0.2/24")));
        KernelException missing = assertThrows(KernelException.class,
                () -> addresses.delete("nktv0", IpPrefix.parse("10.1.0.9/24")));

        assertEquals(Errno.EEXIST, twice.errno());
        assertEquals("adding address 10.1.0.2/24 to nktv0", twice.operation());
        assertEquals(Errno.EADDRNOTAVAIL, missing.errno());
        assertEquals("deleting address 10.1.0.9/24 from nktv0", missing.operation());
        assertTrue(missing.getMessage().startsWith("EADDRNOTAVAIL deleting address 10.1.0.9/24 from nktv0"),
                missing.getMessage());
        assertEquals(List.of("10.1.0.2/24"), IpOracle.addressesOf(ns.name(), "nktv0"));
    }

    @Test
    void gatewayOffLinkIsEnetunreach() {
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        links.setUp("nktv0");
        links.setUp("nktv1");
        ns.handle().addresses().add("nktv0", IpPrefix.parse("10.1.0.2/24"));

        KernelException e = assertThrows(KernelException.class,
                () -> ns.handle().routes().addDefault(IpPrefix.literal("192.0.2.1"), "nktv0"));

        assertEquals(Errno.ENETUNREACH, e.errno());
        assertEquals("adding default route via 192.0.2.1 dev nktv0", e.operation());
        assertTrue(e.getMessage().contains("nktv0"), e.getMessage());
        assertTrue(IpOracle.routes(ns.name(), false).findValues("gateway").isEmpty());
    }

    private static boolean kernelAtLeast(int major, int minor) throws IOException {
        String[] v = Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip().split("[.-]");
        int ma = Integer.parseInt(v[0]);
        int mi = Integer.parseInt(v[1]);
        return ma > major || (ma == major && mi >= minor);
    }
}
