package dev.netkeeper.network;

import dev.netkeeper.netlink.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressesTest {
    @Test
    void fromIPv4IsDockersGenMac() {
        assertEquals("02:42:0a:58:00:02", MacAddresses.fromIPv4("10.88.0.2/24").toString());
        assertEquals(MacAddress.parse("02:42:0a:58:00:02"), MacAddresses.fromIPv4("10.88.0.2/24"));
        assertEquals("02:42:ac:11:00:02", MacAddresses.fromIPv4("172.17.0.2/16").toString());
        assertEquals("02:42:ff:ff:ff:fe", MacAddresses.fromIPv4("255.255.255.254").toString(), "no prefix: as is");
        assertEquals("02:42:c0:a8:01:80", MacAddresses.fromIPv4("192.168.1.128/25").toString(),
                "octets above 127 are not sign-extended");
    }

    @Test
    void fromIPv4IsUnicastAndLocallyAdministered() {
        MacAddress mac = MacAddresses.fromIPv4("10.88.0.2/24");
        assertTrue(mac.isLocallyAdministered());
        assertFalse(mac.isMulticast());
    }

    @Test
    void randomIsUnicastAndLocallyAdministered() {
        Set<MacAddress> seen = new HashSet<>();
        boolean[] bitSeen = new boolean[48];
        for (int i = 0; i < 1000; i++) {
            MacAddress mac = MacAddresses.random();
            assertFalse(mac.isMulticast(), mac + " is multicast");
            assertTrue(mac.isLocallyAdministered(), mac + " is not locally administered");
            assertEquals(0, mac.value() >>> 48, mac + " is wider than 48 bits");
            assertEquals(mac, MacAddress.parse(mac.toString()));
            seen.add(mac);
            for (int b = 0; b < 48; b++) {
                if (((mac.value() >>> b) & 1) == 1) {
                    bitSeen[b] = true;
                }
            }
        }
        assertTrue(seen.size() > 990, "only " + seen.size() + " distinct addresses of 1000");
        for (int b = 0; b < 48; b++) {
            if (b != 40) { // the multicast bit must never be set; every other bit sometimes is
                assertTrue(bitSeen[b], "bit " + b + " never set: not random");
            } else {
                assertFalse(bitSeen[b]);
            }
        }
    }
}
