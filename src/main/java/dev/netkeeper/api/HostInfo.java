package dev.netkeeper.api;

/**
 * A host of the cluster as its members see it: its agent's cluster address and status — "up",
 * "unreachable" (commands for its namespaces are refused with HOST_UNAVAILABLE until it is back or
 * downed), or Pekko's membership status in lower case while it joins or leaves ("joining", "leaving",
 * "exiting", "down", ...).
 */
public record HostInfo(String host, String address, String status) {
    public static final String UP = "up";
    public static final String UNREACHABLE = "unreachable";
}
