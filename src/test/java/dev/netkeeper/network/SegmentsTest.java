package dev.netkeeper.network;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A new endpoint's bridge: the first with room, so that room made by unlinks is used before a bridge is added. */
class SegmentsTest {
    private static Endpoint on(int segment, int i) {
        return new Endpoint("e" + segment + "-" + i, "nkv" + i, "nkc" + i, null, null, null, null, "h1", segment);
    }

    private static List<Endpoint> filled(int... counts) {
        List<Endpoint> out = new ArrayList<>();
        for (int k = 0; k < counts.length; k++) {
            for (int i = 0; i < counts[k]; i++) {
                out.add(on(k, i));
            }
        }
        return out;
    }

    @Test
    void theFirstBridgeWithRoomTakesTheEndpoint() {
        assertEquals(0, Segments.next(List.of(), 3));
        assertEquals(0, Segments.next(filled(2), 3));
        assertEquals(1, Segments.next(filled(3), 3), "the first is full: the network grows");
        assertEquals(1, Segments.next(filled(3, 2), 3));
        assertEquals(2, Segments.next(filled(3, 3), 3));
        assertEquals(0, Segments.next(filled(2, 3, 1), 3), "room made on the first by an unlink is used first");
        assertEquals(1, Segments.next(filled(3, 0, 3), 3), "an emptied middle bridge fills again before a new one");
        assertEquals(0, Segments.next(filled(5000), 0), "no limit: always the first");
    }

    @Test
    void aSegmentIsEmptyWhenNoneOfTheHostsEndpointsIsOnIt() {
        assertTrue(Segments.isEmpty(filled(3, 0, 1), 1));
        assertFalse(Segments.isEmpty(filled(3, 0, 1), 2));
    }
}
