package dev.netkeeper.api;

/** A pool held for an outside IPAM: its id (what later calls name it by) and its subnet ("10.77.0.0/24"). */
public record PoolLease(String poolId, String pool) implements Reply {}
