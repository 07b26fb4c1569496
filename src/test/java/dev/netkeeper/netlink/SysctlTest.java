package dev.netkeeper.netlink;

import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sysctl writes land in the throwaway namespace and never in the machine's own. */
class SysctlTest {
    private static final Path HOST_IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");

    private ThrowawayNamespace ns;
    private Sysctl sysctl;
    private String hostIpForward;

    @BeforeEach
    void createNamespace() throws IOException {
        hostIpForward = Files.readString(HOST_IP_FORWARD).strip();
        ns = ThrowawayNamespace.create("sysctl");
        sysctl = ns.handle().sysctl();
    }

    @AfterEach
    void removeNamespace() throws IOException {
        try {
            if (ns != null) {
                ns.close();
            }
        } finally {
            assertEquals(hostIpForward, Files.readString(HOST_IP_FORWARD).strip(), "the machine's ip_forward changed");
        }
    }

    @Test
    void ipForwardIsWrittenInsideTheNamespaceOnly() throws IOException {
        String inverse = "1".equals(hostIpForward) ? "0" : "1";

        sysctl.write("net/ipv4/ip_forward", inverse);

        assertEquals(inverse, sysctl.read("net/ipv4/ip_forward"));
        assertEquals(inverse, IpOracle.readInside(ns.name(), "/proc/sys/net/ipv4/ip_forward"));
        assertEquals(hostIpForward, Files.readString(HOST_IP_FORWARD).strip());

        sysctl.write("net/ipv4/ip_forward", hostIpForward);
        assertEquals(hostIpForward, IpOracle.readInside(ns.name(), "/proc/sys/net/ipv4/ip_forward"));
    }

    @Test
    void disableIpv6OnALinkOfTheNamespace() {
        LinkOps links = ns.handle().links();
        links.addVeth("nktv0", "nktv1", 0, Optional.empty());
        assertFalse(Files.exists(Path.of("/proc/sys/net/ipv6/conf/nktv0")), "no such link on the machine");
        assertEquals("0", sysctl.read("net/ipv6/conf/nktv0/disable_ipv6"));

        sysctl.write("net/ipv6/conf/nktv0/disable_ipv6", "1");

        assertEquals("1", sysctl.read("net/ipv6/conf/nktv0/disable_ipv6"));
        assertEquals("1", IpOracle.readInside(ns.name(), "/proc/sys/net/ipv6/conf/nktv0/disable_ipv6"));
        assertEquals("0", IpOracle.readInside(ns.name(), "/proc/sys/net/ipv6/conf/nktv1/disable_ipv6"));
        // The effect, as iproute2 sees it: with both ends up, only nktv1 gets an IPv6 link-local address.
        links.setUp("nktv0");
        links.setUp("nktv1");
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (IpOracle.addressesOf(ns.name(), "nktv1").isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(IpOracle.addressesOf(ns.name(), "nktv1").stream().anyMatch(a -> a.startsWith("fe80:")),
                IpOracle.addressesOf(ns.name(), "nktv1").toString());
        assertEquals(List.of(), IpOracle.addressesOf(ns.name(), "nktv0"));
        assertTrue(ns.handle().addresses().list("nktv0").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"kernel/hostname", "net/../x", "net/ipv4/../../kernel/hostname", "/proc/sys/net/ipv4/ip_forward",
            "net", "", "net/ipv4/ip forward", "net//ipv4/ip_forward", "../net/ipv4/ip_forward"})
    void keysOutsideNetAreRefused(String key) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> sysctl.write(key, "1"));
        assertThrows(IllegalArgumentException.class, () -> sysctl.read(key));
        assertEquals(hostIpForward, Files.readString(HOST_IP_FORWARD).strip());
    }

    @Test
    void aValueTheKernelRejectsIsEinval() {
        KernelException e = assertThrows(KernelException.class, () -> sysctl.write("net/ipv4/ip_forward", "yes"));

        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("writing sysctl net/ipv4/ip_forward=yes", e.operation());
        assertEquals("0", sysctl.read("net/ipv4/ip_forward"));
    }

    /**
     * A read-only sysctl: the kernel answers EACCES (13), also to root; checked with a process of our own.
     * Sysctl.write reports every IOException as EINVAL, so the errno is lost and the "kernel:" part of the
     * message is only the file name Java put in its exception.
     */
    @Test
    void aReadOnlySysctlReportsTheKernelsErrno() {
        IpOracle.Result r = IpOracle.run("ip", "netns", "exec", ns.name(), "sh", "-c",
                "echo 1 > /proc/sys/net/ipv4/tcp_ehash_entries");
        assertTrue(r.stderr().contains("Permission denied"), r.stderr());

        KernelException e = assertThrows(KernelException.class, () -> sysctl.write("net/ipv4/tcp_ehash_entries", "1"));

        assertEquals(13, e.errno().code(), e.getMessage());
    }
}
