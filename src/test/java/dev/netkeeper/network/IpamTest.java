package dev.netkeeper.network;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpamTest {
    static AddressPool pool(String subnet, String gateway, String range, String... reserved) {
        return new AddressPool(subnet, gateway, range, List.of(reserved));
    }

    /** Allocates until the pool is full, as the entity does (cursor = last handed out). */
    static List<String> drain(AddressPool pool, int max) {
        Set<String> inUse = new HashSet<>();
        String last = null;
        List<String> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Optional<String> next = Ipam.next(pool, inUse, last);
            if (next.isEmpty()) {
                return out;
            }
            out.add(next.get());
            last = Ipam.host(next.get());
            assertTrue(inUse.add(last), "handed out twice: " + last);
        }
        throw new AssertionError("pool " + pool + " not exhausted after " + max + " addresses");
    }

    @Test
    void aSlash24WithGatewayDotOneStartsAtDotTwo() {
        AddressPool p = pool("10.1.0.0/24", "10.1.0.1", null);
        assertEquals(Optional.of("10.1.0.2/24"), Ipam.next(p, Set.of(), null));
        assertEquals(Optional.of("10.1.0.3/24"), Ipam.next(p, Set.of("10.1.0.2"), "10.1.0.2"));
    }

    @Test
    void networkBroadcastAndGatewayAreNeverHandedOut() {
        List<String> all = drain(pool("10.1.0.0/24", "10.1.0.1", null), 1000);
        assertEquals(253, all.size());
        assertEquals("10.1.0.2/24", all.get(0));
        assertEquals("10.1.0.254/24", all.get(252));
        assertFalse(all.contains("10.1.0.0/24"));
        assertFalse(all.contains("10.1.0.1/24"));
        assertFalse(all.contains("10.1.0.255/24"));
    }

    @Test
    void aGatewayElsewhereFreesDotOne() {
        List<String> all = drain(pool("10.1.0.0/24", "10.1.0.254", null), 1000);
        assertEquals("10.1.0.1/24", all.get(0));
        assertEquals(253, all.size());
        assertFalse(all.contains("10.1.0.254/24"));
    }

    @Test
    void ipRangeRestrictsAllocation() {
        List<String> all = drain(pool("10.1.0.0/24", "10.1.0.1", "10.1.0.128/25"), 1000);
        assertEquals("10.1.0.128/24", all.get(0), "the range's first address, with the subnet's prefix length");
        assertEquals(127, all.size(), ".128 to .254; .255 is the subnet's broadcast address");
        for (String a : all) {
            int last = Integer.parseInt(Ipam.host(a).substring("10.1.0.".length()));
            assertTrue(last >= 128 && last <= 254, a);
        }
    }

    @Test
    void ipRangeAtTheStartOfTheSubnet() {
        List<String> all = drain(pool("10.1.0.0/24", "10.1.0.1", "10.1.0.0/28"), 1000);
        assertEquals("10.1.0.2/24", all.get(0));
        assertEquals("10.1.0.15/24", all.get(all.size() - 1), ".15 is not a broadcast address of the /24");
        assertEquals(14, all.size());
    }

    @Test
    void aCursorOutsideTheRangeStartsAtTheRange() {
        AddressPool p = pool("10.1.0.0/24", "10.1.0.1", "10.1.0.64/26");
        assertEquals(Optional.of("10.1.0.64/24"), Ipam.next(p, Set.of("10.1.0.7"), "10.1.0.7"));
        assertEquals(Optional.of("10.1.0.64/24"), Ipam.next(p, Set.of(), "10.1.0.200"));
    }

    @Test
    void reservedAddressesAreSkipped() {
        AddressPool p = pool("10.1.0.0/24", "10.1.0.1", null, "10.1.0.2", "10.1.0.3", "10.1.0.10");
        assertEquals(Optional.of("10.1.0.4/24"), Ipam.next(p, Set.of(), null));
        assertEquals(Optional.of("10.1.0.11/24"), Ipam.next(p, Set.of("10.1.0.9"), "10.1.0.9"));
        List<String> all = drain(p, 1000);
        assertEquals(250, all.size());
        assertFalse(all.contains("10.1.0.10/24"));
    }

    @Test
    void releasedAddressesAreReusedOnlyAfterTheRangeWraps() {
        AddressPool p = pool("10.1.0.0/29", "10.1.0.1", null); // .2 .. .6
        assertEquals(Optional.of("10.1.0.4/29"), Ipam.next(p, Set.of("10.1.0.3"), "10.1.0.3"),
                ".2 is free but the cursor is past it");
        assertEquals(Optional.of("10.1.0.2/29"), Ipam.next(p, Set.of("10.1.0.3"), "10.1.0.6"),
                "after the end of the range: wrap to the start");
        assertEquals(Optional.of("10.1.0.4/29"), Ipam.next(p, Set.of("10.1.0.2", "10.1.0.3", "10.1.0.5",
                "10.1.0.6"), "10.1.0.5"), "wrap, then skip what is in use up to the one free address");
    }

    @Test
    void aFullPoolGivesNothing() {
        AddressPool p = pool("10.1.0.0/29", "10.1.0.1", null);
        Set<String> all = Set.of("10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6");
        for (String last : new String[] {null, "10.1.0.2", "10.1.0.4", "10.1.0.6"}) {
            assertEquals(Optional.empty(), Ipam.next(p, all, last), "last " + last);
        }
    }

    @Test
    void aSlash30WithGatewayHasExactlyOneAddress() {
        assertEquals(List.of("10.1.0.2/30"), drain(pool("10.1.0.0/30", "10.1.0.1", null), 10));
        assertEquals(List.of("10.1.0.1/30", "10.1.0.2/30"), drain(pool("10.1.0.0/30", null, null), 10));
    }

    @Test
    void anIpRangeOfReservedAddressesIsExhausted() {
        AddressPool p = pool("10.1.0.0/24", "10.1.0.1", "10.1.0.8/30", "10.1.0.8", "10.1.0.9", "10.1.0.10");
        assertEquals(List.of("10.1.0.11/24"), drain(p, 10));
    }

    @Test
    void ipv6StartsAtTwoWithGatewayOne() {
        AddressPool p = pool("fd00::/64", "fd00::1", null);
        assertEquals(Optional.of("fd00::2/64"), Ipam.next(p, Set.of(), null));
        assertEquals(Optional.of("fd00::3/64"), Ipam.next(p, Set.of("fd00::2"), "fd00::2"));
    }

    @Test
    void ipv6HasNoBroadcastAddress() {
        AddressPool p = pool("fd00::/126", "fd00::1", null);
        assertEquals(List.of("fd00::2/126", "fd00::3/126"), drain(p, 10));
    }

    @Test
    void ipv6SkipsTakenAddressesWithoutWalkingTheSlash64() {
        AddressPool p = pool("fd00:1::/64", "fd00:1::1", null);
        Set<String> taken = new HashSet<>();
        for (int i = 2; i < 2000; i++) {
            taken.add("fd00:1::" + Integer.toHexString(i));
        }
        Optional<String> next = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Ipam.next(p, taken, "fd00:1::" + Integer.toHexString(1999)));
        assertEquals(Optional.of("fd00:1::7d0/64"), next);
        // a cursor at the very end of the /64 wraps to the start, fast
        Optional<String> wrapped = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Ipam.next(p, taken, "fd00:1::ffff:ffff:ffff:ffff"));
        assertEquals(Optional.of("fd00:1::7d0/64"), wrapped);
        Optional<String> fromStart = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> Ipam.next(p, Set.of("fd00:1::2", "fd00:1::3"), "fd00:1::ffff:ffff:ffff:ffff"));
        assertEquals(Optional.of("fd00:1::4/64"), fromStart);
    }

    @Test
    void resultsAreRfc5952Text() {
        assertEquals(Optional.of("fd00::2/64"), Ipam.next(pool("fd00::/64", "FD00:0:0:0:0:0:0:1", null),
                Set.of(), null), "lower case, the zero run as ::, and the upper-case gateway still excluded");
        assertEquals(Optional.of("2001:db8:0:1::2/64"), Ipam.next(pool("2001:db8:0:1::/64", "2001:db8:0:1::1",
                null), Set.of(), null), "a single zero group is not shortened");
        assertEquals(Optional.of("fd00::1:0:0:5/64"), Ipam.next(pool("fd00::/64", "fd00::1", null),
                Set.of("FD00::1:0:0:4"), "fd00:0:0:0:1:0:0:4"), "of two zero runs the longer one is ::");
        assertEquals(Optional.of("fd00:0:1::5/32"), Ipam.next(pool("fd00::/32", "fd00::1", null),
                Set.of(), "fd00:0:1:0:0:0:0:4"), "the longer run wins even when it comes second");
        assertEquals(Optional.of("fd00:0:1:0:2::/48"), Ipam.next(pool("fd00:0:1::/48", "fd00:0:1::1", null),
                Set.of(), "fd00:0:1:0:1:ffff:ffff:ffff"), "a zero run at the end");
    }

    @Test
    void hostStripsThePrefixLength() {
        assertEquals("10.1.0.7", Ipam.host("10.1.0.7/24"));
        assertEquals("fd00::2", Ipam.host("fd00::2/64"));
        assertEquals("10.1.0.7", Ipam.host("10.1.0.7"));
    }
}
