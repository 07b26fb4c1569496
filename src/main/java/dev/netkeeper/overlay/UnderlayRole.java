package dev.netkeeper.overlay;

import java.util.Optional;

/**
 * How an agent tells the other members its underlay address: a cluster role "underlay-ADDRESS" beside its host role,
 * so that every member knows where each host's VXLAN devices are reached, with no question asked on the wire.
 * Members are the cluster's own (mutual TLS, host ids proved by certificate), so the address is theirs to state.
 */
public final class UnderlayRole {
    private static final String PREFIX = "underlay-";

    private UnderlayRole() {}

    public static String of(String address) {
        return PREFIX + address;
    }

    /** The address a role states, or empty for any other role. */
    public static Optional<String> addressOf(String role) {
        return role.startsWith(PREFIX) ? Optional.of(role.substring(PREFIX.length())) : Optional.empty();
    }
}
