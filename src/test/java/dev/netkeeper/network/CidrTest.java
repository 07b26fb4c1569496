package dev.netkeeper.network;

import dev.netkeeper.netlink.IpPrefix;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {
    static Cidr c(String text) {
        return Cidr.parse(text);
    }

    @Test
    void parsesIPv4() {
        Cidr cidr = c("10.1.0.0/24");
        assertTrue(cidr.ipv4());
        assertEquals(24, cidr.length());
        assertEquals(BigInteger.valueOf(0x0a010000L), cidr.base());
        assertEquals(32, cidr.bits());
        assertEquals(BigInteger.valueOf(256), cidr.size());
        assertEquals(BigInteger.valueOf(0x0a0100ffL), cidr.last());
        assertEquals("10.1.0.0/24", cidr.toString());
        assertEquals(c("10.1.0.0/24"), cidr);
    }

    @Test
    void parsesIPv6InRfc5952Form() {
        Cidr cidr = c("FD00:0:0:0::/64");
        assertFalse(cidr.ipv4());
        assertEquals(128, cidr.bits());
        assertEquals(BigInteger.ONE.shiftLeft(64), cidr.size());
        assertEquals("fd00::/64", cidr.toString());
        assertEquals("2001:db8:0:1::/64", c("2001:db8:0:1::/64").toString());
        assertEquals("::/0", c("::/0").toString());
        assertEquals("0.0.0.0/0", c("0.0.0.0/0").toString());
        assertEquals(BigInteger.ONE.shiftLeft(32), c("0.0.0.0/0").size());
    }

    @Test
    void refusesHostBitsAndSaysWhatWasMeant() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c("10.1.0.5/24"));
        assertTrue(e.getMessage().contains("'10.1.0.5/24'"), e.getMessage());
        assertTrue(e.getMessage().contains("host bits"), e.getMessage());
        assertTrue(e.getMessage().contains("10.1.0.0/24"), e.getMessage());

        IllegalArgumentException e6 = assertThrows(IllegalArgumentException.class, () -> c("fd00::1/64"));
        assertTrue(e6.getMessage().contains("host bits"), e6.getMessage());
        assertTrue(e6.getMessage().contains("fd00::/64"), e6.getMessage());
    }

    @Test
    void slash32AndSlash128AreSingleAddresses() {
        assertEquals(BigInteger.ONE, c("10.1.0.1/32").size());
        assertEquals(BigInteger.ONE, c("fd00::1/128").size());
    }

    @Test
    void refusesMalformedText() {
        for (String bad : new String[] {"10.1.0.0", "10.1.0.0/33", "10.1.0/24", "abc/8", "", "10.1.0.0/-1",
                "fd00::/129", "10.1.0.256/24", "10.1.0.0/24/1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid CIDR '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void ofMasksTheHostBits() {
        assertEquals(c("10.1.0.0/24"), Cidr.of(IpPrefix.literal("10.1.0.77"), 24));
        assertEquals(c("10.0.0.0/8"), Cidr.of(IpPrefix.literal("10.255.255.255"), 8));
        assertEquals(c("fd00:1::/64"), Cidr.of(IpPrefix.literal("fd00:1::abcd:1"), 64));
        assertEquals(c("0.0.0.0/0"), Cidr.of(IpPrefix.literal("192.168.1.1"), 0));
    }

    @Test
    void containsAddressesOfItsOwnFamily() {
        Cidr v4 = c("10.1.0.0/24");
        assertTrue(v4.contains(IpPrefix.literal("10.1.0.0")));
        assertTrue(v4.contains(IpPrefix.literal("10.1.0.255")));
        assertFalse(v4.contains(IpPrefix.literal("10.1.1.0")));
        assertFalse(v4.contains(IpPrefix.literal("10.0.255.255")));

        Cidr v6 = c("fd00:1::/64");
        assertTrue(v6.contains(IpPrefix.literal("fd00:1::1")));
        assertTrue(v6.contains(IpPrefix.literal("fd00:1::ffff:ffff:ffff:ffff")));
        assertFalse(v6.contains(IpPrefix.literal("fd00:1:0:1::")));
    }

    @Test
    void neverMixesFamilies() {
        Cidr all4 = c("0.0.0.0/0");
        Cidr all6 = c("::/0");
        Cidr low6 = c("::/96"); // numerically holds every IPv4 value
        assertFalse(all4.contains(IpPrefix.literal("::1")));
        assertFalse(all6.contains(IpPrefix.literal("10.1.0.1")));
        assertFalse(low6.contains(IpPrefix.literal("0.0.0.5")));
        assertFalse(all6.contains(all4));
        assertFalse(low6.contains(c("10.0.0.0/8")));
        assertFalse(all4.contains(c("::/128")));
        assertFalse(all4.overlaps(all6));
        assertFalse(all6.overlaps(all4));
        assertFalse(low6.overlaps(c("10.0.0.0/8")));
        assertFalse(c("10.0.0.0/8").overlaps(low6));
        assertFalse(c("0.0.0.0/0").equals(c("::/0")));
    }

    @Test
    void containsSubnets() {
        assertTrue(c("10.0.0.0/8").contains(c("10.1.0.0/16")));
        assertTrue(c("10.1.0.0/16").contains(c("10.1.0.0/16")));
        assertFalse(c("10.1.0.0/16").contains(c("10.0.0.0/8")), "a wider subnet is not contained");
        assertFalse(c("10.1.0.0/16").contains(c("10.2.0.0/24")));
        assertTrue(c("fd00::/48").contains(c("fd00:0:0:ff::/64")));
        assertFalse(c("fd00::/48").contains(c("fd00:0:1::/64")));
        assertFalse(c("fd00::/64").contains(c("fd00::/48")));
    }

    @Test
    void overlapsV4() {
        assertTrue(c("10.0.0.0/8").overlaps(c("10.1.0.0/16")));
        assertTrue(c("10.1.0.0/16").overlaps(c("10.0.0.0/8")));
        assertTrue(c("10.1.0.0/24").overlaps(c("10.1.0.0/24")));
        assertFalse(c("10.1.0.0/16").overlaps(c("10.2.0.0/16")));
        assertFalse(c("10.0.0.0/25").overlaps(c("10.0.0.128/25")), "adjacent halves");
        assertFalse(c("10.0.0.128/25").overlaps(c("10.0.0.0/25")));
        assertTrue(c("0.0.0.0/0").overlaps(c("192.168.1.0/24")));
    }

    @Test
    void overlapsV6() {
        assertTrue(c("fd00::/16").overlaps(c("fd00:1::/64")));
        assertTrue(c("fd00:1::/64").overlaps(c("fd00::/16")));
        assertFalse(c("fd00:1::/64").overlaps(c("fd00:2::/64")));
        assertFalse(c("fd00::/65").overlaps(c("fd00::8000:0:0:0/65")), "adjacent halves");
        assertTrue(c("::/0").overlaps(c("2001:db8::/32")));
    }

    @Test
    void atAndWithPrefix() {
        Cidr v4 = c("10.1.0.0/24");
        assertEquals(IpPrefix.literal("10.1.0.1"), v4.at(BigInteger.ONE));
        assertEquals(IpPrefix.literal("10.1.0.255"), v4.at(BigInteger.valueOf(255)));
        assertEquals("10.1.0.9/24", v4.withPrefix(IpPrefix.literal("10.1.0.9")));
        Cidr v6 = c("fd00::/64");
        assertEquals(IpPrefix.literal("fd00::2"), v6.at(BigInteger.TWO));
        assertEquals("fd00::2/64", v6.withPrefix(v6.at(BigInteger.TWO)));
    }

    @Test
    void toInetAndToBigAreInverse() {
        for (String a : new String[] {"0.0.0.0", "10.1.0.7", "255.255.255.255", "128.0.0.1"}) {
            assertEquals(IpPrefix.literal(a), Cidr.toInet(Cidr.toBig(IpPrefix.literal(a)), true), a);
        }
        for (String a : new String[] {"::", "fd00::2", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "8000::1"}) {
            assertEquals(IpPrefix.literal(a), Cidr.toInet(Cidr.toBig(IpPrefix.literal(a)), false), a);
        }
    }
}
