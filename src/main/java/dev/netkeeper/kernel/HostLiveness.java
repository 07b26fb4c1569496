package dev.netkeeper.kernel;

import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;

/**
 * The one definition of "host H is up" that the gateway (refusing a host's commands with HOST_UNAVAILABLE), the kernel
 * router (sending a host's kernel work) and the namespaces' shard allocation (placing a host's namespaces) share: the
 * member with H's host role is Up or WeaklyUp (WeaklyUp is how a member joins while another is unreachable, e.g.
 * during a partition) and this node can reach it. A Joining member is not up: the cluster has not admitted it yet
 * (the identity guard may still down it for claiming another host's role).
 */
public final class HostLiveness {
    private static final String ROLE_PREFIX = "host-";

    private HostLiveness() {}

    /** The cluster role that marks the node of {@code host}. */
    public static String role(String host) {
        return ROLE_PREFIX + host;
    }

    /** The host a role marks, or null for other roles. */
    public static String hostOf(String role) {
        return role.startsWith(ROLE_PREFIX) ? role.substring(ROLE_PREFIX.length()) : null;
    }

    /** Whether member {@code m} is up as {@code state} (this node's view) has it. */
    public static boolean isUp(Member m, ClusterEvent.CurrentClusterState state) {
        MemberStatus status = m.status();
        return (status == MemberStatus.up() || status == MemberStatus.weaklyUp()) && !state.getUnreachable().contains(m);
    }

    /** Whether a member with {@code host}'s role is up. */
    public static boolean isUp(String host, ClusterEvent.CurrentClusterState state) {
        String role = role(host);
        for (Member m : state.getMembers()) {
            if (m.hasRole(role) && isUp(m, state)) {
                return true;
            }
        }
        return false;
    }
}
