package dev.netkeeper.api;

import java.util.Map;

/**
 * Whether the agent can take commands now: each part checked ("journal", "cluster", "netlink") with "ok" or
 * what is wrong with it.
 */
public record Readiness(Map<String, String> checks) {
    public static final String OK = "ok";

    public Readiness {
        checks = Map.copyOf(checks);
    }

    public boolean ready() {
        return checks.values().stream().allMatch(OK::equals);
    }
}
