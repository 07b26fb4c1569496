package dev.netkeeper.network;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a new endpoint's port goes among a network's bridges on one host: the first segment (0, the gateway's
 * bridge; then 1, 2, ... the bridges it grew by) with fewer than {@code perSegment} endpoints, so that segments
 * emptied by unlinks fill again before a new one is made.
 */
public final class Segments {
    private Segments() {}

    /** The segment for one more endpoint beside {@code onHost} (the host's endpoints of the network). */
    public static int next(Collection<Endpoint> onHost, int perSegment) {
        if (perSegment <= 0) {
            return 0;
        }
        Map<Integer, Integer> used = new HashMap<>();
        for (Endpoint e : onHost) {
            used.merge(e.segment(), 1, Integer::sum);
        }
        int k = 0;
        while (used.getOrDefault(k, 0) >= perSegment) {
            k++;
        }
        return k;
    }

    /** Whether {@code segment} holds none of {@code onHost}. */
    public static boolean isEmpty(Collection<Endpoint> onHost, int segment) {
        return onHost.stream().noneMatch(e -> e.segment() == segment);
    }
}
