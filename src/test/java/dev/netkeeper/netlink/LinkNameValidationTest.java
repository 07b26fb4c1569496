package dev.netkeeper.netlink;

import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Names the kernel would refuse are refused before any syscall. The proof: the calls go to a Handle
 * whose netlink socket is already closed, which throws IllegalStateException on its first send; an
 * InvalidNameException can only come from validation that ran first.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LinkNameValidationTest {
    private static final String GOOD = "nktgood0";
    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");

    private ThrowawayNamespace ns;
    private Handle closed;
    private LinkOps links;
    private List<String> linksBefore;

    @BeforeAll
    void createNamespaceAndAClosedHandle() {
        ns = ThrowawayNamespace.create("name");
        ns.handle().links().addBridge(GOOD, 0, Optional.empty());
        closed = Handle.open(ns.namespace());
        closed.close();
        links = closed.links();
    }

    @AfterAll
    void removeNamespace() {
        if (ns != null) {
            ns.close();
        }
    }

    @BeforeEach
    void recordLinks() {
        linksBefore = IpOracle.linkNames(ns.name());
        assertEquals(List.of("lo", GOOD), linksBefore);
    }

    @AfterEach
    void kernelIsUnchanged() {
        assertEquals(linksBefore, IpOracle.linkNames(ns.name()));
    }

    /** The control: with a valid name the closed socket is reached, and it refuses. */
    @Test
    void aValidNameReachesTheClosedSocket() {
        assertThrows(IllegalStateException.class, () -> links.addBridge("nktvalid", 0, Optional.empty()));
        assertThrows(IllegalStateException.class, () -> links.get(GOOD));
        assertThrows(IllegalStateException.class, () -> links.delete(GOOD));
        assertThrows(IllegalStateException.class, () -> links.rename(GOOD, "nktvalid"));
        assertThrows(IllegalStateException.class, () -> links.addVeth("nktvalid", "nktvalid2", 0, Optional.empty()));
        // exactly 15 bytes is still valid
        assertThrows(IllegalStateException.class, () -> links.addBridge("nkt456789012345", 0, Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "nkt4567890123456",          // 16 bytes
        "nkt-far-too-long-a-name",
        "nktééééééé",                 // 10 characters, 17 bytes of UTF-8
        "nkt/a", "nkt a", "nkt\ta", "nkt\na", "nkt:a", " nkt", "nkt ", "nkt%d", "e%d", "%",
        "", ".", "..", "nkt\u0000a"})
    void badNamesAreRefusedBeforeAnySyscall(String bad) {
        expectInvalid(() -> links.addBridge(bad, 1400, Optional.of(MAC)));
        expectInvalid(() -> links.addVeth(bad, "nktpeer", 0, Optional.empty()));
        expectInvalid(() -> links.addVeth("nktveth", bad, 0, Optional.empty()));
        expectInvalid(() -> links.addVeth(bad, "nktpeer", 0, Optional.of(ns.namespace())));
        expectInvalid(() -> links.rename(GOOD, bad));
        expectInvalid(() -> links.rename(bad, "nktnew"));
        expectInvalid(() -> links.delete(bad));
        expectInvalid(() -> links.get(bad));
        expectInvalid(() -> links.setUp(bad));
        expectInvalid(() -> links.setDown(bad));
        expectInvalid(() -> links.setMtu(bad, 1400));
        expectInvalid(() -> links.setMac(bad, MAC));
        expectInvalid(() -> links.setNoMaster(bad));
        expectInvalid(() -> links.setMaster(GOOD, bad));
        expectInvalid(() -> links.moveTo(bad, ns.namespace()));
    }

    @Test
    void messagesSayWhatIsWrong() {
        assertTrue(message(() -> links.addBridge("nkt4567890123456", 0, Optional.empty()))
                .contains("16 bytes long; the kernel allows at most 15"));
        assertTrue(message(() -> links.delete("nkt/a")).contains("contains '/'"));
        assertTrue(message(() -> links.get("nkt:a")).contains("contains ':'"));
        assertTrue(message(() -> links.rename(GOOD, "nkt a")).contains("contains whitespace"));
        assertTrue(message(() -> links.addBridge("sec%d", 0, Optional.empty())).contains("contains '%'"));
    }

    /** Why '%' is refused: the kernel takes "%d" as a template and makes another name than the one asked. */
    @Test
    void theKernelExpandsAPercentTemplate() {
        IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "link", "add", "nkt%d", "type", "bridge");
        assertEquals(0, r.exitCode(), r.stderr());
        try {
            assertTrue(IpOracle.linkNames(ns.name()).contains("nkt0"), "made as nkt0: " + IpOracle.linkNames(ns.name()));
        } finally {
            IpOracle.run("ip", "-n", ns.name(), "link", "del", "nkt0");
        }
    }

    /**
     * setMaster looks the master up (a netlink request) before it checks the port's name, so a bad
     * port name reaches the socket first: on this closed handle that is IllegalStateException.
     */
    @Test
    void setMasterValidatesThePortNameFirst() {
        expectInvalid(() -> links.setMaster("nkt/bad", GOOD));
    }

    /** Non-ASCII names are fine when the kernel takes them: "ü" is C3 BC in UTF-8. */
    @Test
    void aNonAsciiNameTheKernelTakes() {
        String name = "nktü0";
        LinkOps open = ns.handle().links();
        open.addBridge(name, 0, Optional.empty());
        try {
            assertEquals(List.of("lo", GOOD, name), IpOracle.linkNames(ns.name()));
            assertEquals(name, open.get(name).orElseThrow().name());
        } finally {
            open.delete(name);
        }
    }

    /**
     * The kernel's dev_valid_name() tests every byte with its own isspace(), whose table marks 0xA0
     * (Latin-1 NBSP) as space. So a name whose UTF-8 has a 0xA0 byte ("à" is C3 A0) is EINVAL in the
     * kernel (asked here through iproute2, which passes the bytes on), although LinkName.check accepts it:
     * the call then costs a syscall and fails with a KernelException instead of InvalidNameException.
     */
    @Test
    void theCheckerRefusesWhatTheKernelRefuses() {
        String name = "nktà";
        IpOracle.Result r = IpOracle.run("ip", "-n", ns.name(), "link", "add", name, "type", "bridge");
        assertEquals(2, r.exitCode(), "the kernel refuses it: " + r.stderr());
        assertTrue(r.stderr().contains("Invalid argument"), r.stderr());

        assertThrows(InvalidNameException.class, () -> LinkName.check(name));
    }

    private static void expectInvalid(org.junit.jupiter.api.function.Executable call) {
        assertThrows(InvalidNameException.class, call);
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(InvalidNameException.class, call).getMessage();
    }
}
