package dev.netkeeper.api;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Docker's -p form, read once into a record. */
class PortMappingTest {
    @Test
    void readsEveryFormDockerTakes() {
        assertEquals(new PortMapping("tcp", null, 8080, 8080, 80), PortMapping.parse("8080:80"));
        assertEquals(new PortMapping("udp", "127.0.0.1", 5353, 5353, 53), PortMapping.parse("127.0.0.1:5353:53/udp"));
        assertEquals(new PortMapping("tcp", "fd00::1", 443, 443, 8443), PortMapping.parse("[fd00::1]:443:8443/TCP"));
        assertEquals(new PortMapping("sctp", null, 8000, 8010, 80), PortMapping.parse("8000-8010:80/sctp"));
        assertEquals(new PortMapping("tcp", null, 0, 0, 80), PortMapping.parse(":80"));
        assertNull(PortMapping.parse("0.0.0.0:8080:80").hostIp(), "0.0.0.0 is any address");
        assertFalse(PortMapping.parse(":80").resolved());
        assertTrue(PortMapping.parse("8080:80").resolved());
        assertEquals(PortMapping.parse("8080:80").on(8080), PortMapping.parse("8080:80"));
    }

    @Test
    void writesWhatItReads() {
        for (String form : new String[] {"8080:80/tcp", "127.0.0.1:5353:53/udp", "[fd00::1]:443:8443/tcp", "8000-8010:80/sctp",
                ":80/tcp"}) {
            assertEquals(form, PortMapping.parse(form).toString());
        }
    }

    @Test
    void refusesWhatIsNotAMappingNamingTheProblem() {
        assertEquals(ErrorCode.INVALID_OPTION, assertThrows(NetkeeperException.class, () -> PortMapping.parse("80")).code());
        assertTrue(assertThrows(NetkeeperException.class, () -> PortMapping.parse("8080:80/icmp")).getMessage().contains("icmp"));
        assertTrue(assertThrows(NetkeeperException.class, () -> PortMapping.parse("8080:0")).getMessage().contains("container port"));
        assertTrue(assertThrows(NetkeeperException.class, () -> PortMapping.parse("9000-8000:80")).getMessage().contains("host port"));
        assertThrows(NetkeeperException.class, () -> PortMapping.parse("example.com:80:80"), "never a name");
        assertThrows(NetkeeperException.class, () -> PortMapping.parse("999.1.1.1:80:80"));
    }

    @Test
    void theHostSideAloneNamesWhatToUnpublish() {
        PortMapping m = PortMapping.hostSide("8080/udp");
        assertEquals("udp", m.protocol());
        assertEquals(8080, m.hostPort());
        assertEquals("127.0.0.1", PortMapping.hostSide("127.0.0.1:8080").hostIp());
        assertEquals(PortMapping.parse("8080:80"), PortMapping.hostSide("8080:80"), "the full form is taken too");
    }
}
