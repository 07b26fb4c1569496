package dev.netkeeper.api;

/** The agent a client talks to: its host id and its cluster address. */
public record AgentInfo(String hostId, String address) implements Reply {}
