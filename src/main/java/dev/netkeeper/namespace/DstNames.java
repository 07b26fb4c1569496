package dev.netkeeper.namespace;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.LinkName;

/**
 * The name an interface takes in its namespace, as libnetwork chooses it: a requested name ending in a digit is taken
 * as is (refused DUPLICATE_DST_NAME when the namespace has it, and "lo" always); any other is a prefix for its lowest
 * free index ("eth" → "eth0", "eth1", ...); none at all is "eth".
 */
final class DstNames {
    static final String DEFAULT_PREFIX = "eth";

    private DstNames() {}

    static String choose(NamespaceState state, String requested) {
        String wanted = requested == null || requested.isEmpty() ? DEFAULT_PREFIX : checked(requested);
        if (Character.isDigit(wanted.charAt(wanted.length() - 1)) || wanted.equals("lo")) {
            if (state.interfaces().containsKey(wanted) || wanted.equals("lo")) {
                throw new NetkeeperException(ErrorCode.DUPLICATE_DST_NAME, "namespace " + state.path()
                        + " already has an interface named " + wanted);
            }
            return wanted;
        }
        for (int i = 0; ; i++) {
            String candidate = wanted + i;
            if (!state.interfaces().containsKey(candidate)) {
                return checked(candidate); // a prefix of 15 characters has no room for an index
            }
        }
    }

    private static String checked(String name) {
        try {
            return LinkName.check(name);
        } catch (InvalidNameException e) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, "dstName: " + e.getMessage());
        }
    }
}
