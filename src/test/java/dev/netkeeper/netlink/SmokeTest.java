package dev.netkeeper.netlink;

import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void bridgeAndVeth() {
        try (ThrowawayNamespace h = ThrowawayNamespace.create("smoke");
             ThrowawayNamespace c = ThrowawayNamespace.create("smokec")) {
            LinkOps l = h.handle().links();
            l.addBridge("br0", 1400, Optional.of(MacAddress.parse("02:00:00:00:00:01")));
            l.setUp("br0");
            h.handle().addresses().add("br0", IpPrefix.parse("10.9.0.1/24"));
            l.addVeth("veth0", "ceth0", 1400, Optional.empty());
            l.setMaster("veth0", "br0");
            l.setUp("veth0");
            l.moveTo("ceth0", c.namespace());
            Handle ch = c.handle();
            ch.links().rename("ceth0", "eth0");
            ch.links().setUp("lo");
            ch.links().setUp("eth0");
            ch.addresses().add("eth0", IpPrefix.parse("10.9.0.2/24"));
            ch.addresses().add("eth0", IpPrefix.parse("fd00::2/64"));
            ch.routes().addDefault(IpPrefix.literal("10.9.0.1"), "eth0");
            System.out.println(l.list());
            System.out.println(ch.links().list());
            System.out.println(ch.addresses().list());
            System.out.println(ch.routes().list(2));
            System.out.println(IpOracle.links(h.name()));
            System.out.println(IpOracle.addressesOf(c.name(), "eth0"));
            assertTrue(IpOracle.ping(c.name(), "10.9.0.1"));
            KernelException e = assertThrows(KernelException.class, () -> l.addBridge("br0", 0, Optional.empty()));
            System.out.println(e.getMessage());
            e = assertThrows(KernelException.class, () -> l.setMtu("veth0", 10));
            System.out.println(e.getMessage());
            System.out.println(ch.sysctl().read("net/ipv4/ip_forward"));
            ch.sysctl().write("net/ipv4/ip_forward", "1");
            System.out.println(ch.sysctl().read("net/ipv4/ip_forward") + " host " + h.handle().sysctl().read("net/ipv4/ip_forward"));
        }
        System.out.println(IpOracle.namespaces());
    }
}
