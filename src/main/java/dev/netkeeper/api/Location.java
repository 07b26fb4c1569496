package dev.netkeeper.api;

/** Which host's agent runs a network's entity now (it moves when that agent goes away). */
public record Location(String network, String host) implements Reply {}
