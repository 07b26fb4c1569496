package dev.netkeeper.network;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class EndpointMapTest {
    private static Endpoint ep(String name) {
        return new Endpoint(name, null, null, null, null, null, null, null);
    }

    @Test
    void keepsTheOrderOfLinkingAndNeverChangesAMapItCameFrom() {
        EndpointMap one = EndpointMap.EMPTY.with("c", ep("c")).with("a", ep("a"));
        EndpointMap two = one.with("b", ep("b")).without("c");
        EndpointMap placed = two.with("a", ep("a").withNamespace("h:/p"));

        assertEquals(List.of("c", "a"), List.copyOf(one.keySet()), "linking order, not name order");
        assertEquals(List.of("a", "b"), List.copyOf(two.keySet()));
        assertEquals(List.of("a", "b"), List.copyOf(placed.keySet()), "a changed endpoint keeps its place");
        assertEquals("h:/p", placed.get("a").namespace());
        assertNull(two.get("a").namespace(), "the older map is as it was");
        assertFalse(two.containsKey("c"));
        assertNull(two.get("c"));
        assertNull(two.get(42));
    }

    @Test
    void equalsAnyMapOfTheSameEndpointsAndIsBuiltFromOneOnce() {
        Map<String, Endpoint> plain = new LinkedHashMap<>();
        plain.put("x", ep("x"));
        plain.put("y", ep("y"));
        EndpointMap copy = EndpointMap.of(plain);
        assertEquals(plain, copy);
        assertEquals(copy, plain);
        assertEquals(plain.hashCode(), copy.hashCode());
        assertSame(copy, EndpointMap.of(copy), "a map that is one already is not copied");
    }
}
