package dev.netkeeper.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The bounded list of request ids an entity's state keeps, so that a retried command (same id) is
 * answered as before and never applied twice. Ids the agent makes for itself ("agent:...") and null are
 * not kept: nobody retries them.
 */
public final class RecentRequests {
    private RecentRequests() {}

    public static boolean contains(List<String> recent, String requestId) {
        return requestId != null && recent.contains(requestId);
    }

    /** {@code recent} with {@code requestId} appended, the oldest dropped beyond {@code limit}. */
    public static List<String> remember(List<String> recent, String requestId, int limit) {
        if (requestId == null || requestId.startsWith("agent:")) {
            return recent;
        }
        List<String> next = new ArrayList<>(Math.min(recent.size() + 1, limit));
        next.addAll(recent.size() >= limit ? recent.subList(recent.size() - limit + 1, recent.size()) : recent);
        next.add(requestId);
        return List.copyOf(next);
    }
}
