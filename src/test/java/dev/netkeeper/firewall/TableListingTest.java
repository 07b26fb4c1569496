package dev.netkeeper.firewall;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The tamper check's reading of nft's listing (text as libnftables 1.0.6 prints it). */
class TableListingTest {
    static final String LISTED = "table inet netkeeper {\n\tcomment \"x\"\n\tset bridges {\n\t\ttype ifname\n"
            + "\t\telements = { \"nk-a\",\n\t\t\t     \"nk-b\" }\n\t}\n\n\tset masq6 {\n\t\ttype ipv6_addr\n\t\tflags interval\n\t}\n\n"
            + "\tmap dnat4 {\n\t\ttype inet_proto . inet_service : ipv4_addr . inet_service\n"
            + "\t\telements = { tcp . 8080 : 10.1.0.2 . 80, udp . 53 : 10.1.0.3 . 53,\n\t\t\t     tcp . 81 : 10.1.0.2 . 81 }\n\t}\n\n"
            + "\tchain forward {\n\t\ttype filter hook forward priority filter; policy accept;\n\t\toifname @bridges drop\n\t}\n}\n";

    @Test
    void countsTheElementsOfEachSetAndKeepsTheRest() {
        TableListing l = TableListing.of(LISTED);
        assertEquals(Map.of("bridges", 2, "masq6", 0, "dnat4", 3), l.counts());
        assertTrue(l.skeleton().contains("oifname @bridges drop"));
        assertFalse(l.skeleton().contains("10.1.0.2"));
        assertEquals(l.skeleton(), TableListing.of(LISTED.replace("tcp . 81 : 10.1.0.2 . 81", "tcp . 90 : 10.1.0.9 . 90"))
                .skeleton(), "an element change leaves the skeleton");
        assertNotEquals(l.skeleton(), TableListing.of(LISTED.replace("\t\toifname @bridges drop\n", "")).skeleton(),
                "a flushed chain does not");
        assertEquals(l.skeleton(), TableListing.of(LISTED.replace("\t\telements = { \"nk-a\",\n\t\t\t     \"nk-b\" }\n", ""))
                .skeleton(), "nor does a set that lost all of its elements");
    }
}
