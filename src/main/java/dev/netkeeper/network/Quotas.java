package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

/**
 * Limits that keep one caller from growing the agent without bound (settings netkeeper.quotas.*), each
 * checked before anything is journaled and refused as QUOTA_EXCEEDED.
 *
 * @param networks             networks in the cluster
 * @param endpointsPerNetwork  endpoints of one network
 */
public record Quotas(int networks, int endpointsPerNetwork) {
    public Quotas {
        if (networks < 1 || endpointsPerNetwork < 1) {
            throw new IllegalArgumentException("quotas must be at least 1: " + networks + ", " + endpointsPerNetwork);
        }
    }

    /** No limit worth speaking of (tests, tools). */
    public static final Quotas NONE = new Quotas(Integer.MAX_VALUE, Integer.MAX_VALUE);

    static void check(int now, int quota, String what) {
        if (now >= quota) {
            throw new NetkeeperException(ErrorCode.QUOTA_EXCEEDED, what + ": the quota of " + quota + " is reached");
        }
    }
}
