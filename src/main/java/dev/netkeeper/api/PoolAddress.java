package dev.netkeeper.api;

/** An address handed out by a pool, with the pool's prefix length ("10.77.0.2/24"). */
public record PoolAddress(String poolId, String address) implements Reply {}
