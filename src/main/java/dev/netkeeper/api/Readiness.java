package dev.netkeeper.api;

import java.util.Map;

/**
 * Whether the agent can take commands now: each part checked ("journal", "cluster", "netlink") with "ok" or
 * what is wrong with it; and warnings that do not stop it (e.g. another table's forward chain that drops what the
 * firewall lets through), each naming the fix.
 */
public record Readiness(Map<String, String> checks,
                        @com.fasterxml.jackson.annotation.JsonInclude(
                                com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                        java.util.List<String> warnings) {
    public static final String OK = "ok";

    public Readiness {
        checks = Map.copyOf(checks);
        warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
    }

    public Readiness(Map<String, String> checks) {
        this(checks, java.util.List.of());
    }

    public boolean ready() {
        return checks.values().stream().allMatch(OK::equals);
    }
}
