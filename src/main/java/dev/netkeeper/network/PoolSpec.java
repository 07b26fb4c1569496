package dev.netkeeper.network;

/** A default address pool, as in Docker's default-address-pools: carve /size subnets out of base. */
public record PoolSpec(String base, int size) {}
