package dev.netkeeper.api;

/**
 * The gateway's challenge: a fresh nonce (valid once, for a short while) and the host id of the agent, which the
 * client checks against the host its TLS session proved before it signs both.
 */
public record SessionChallenge(String nonce, String hostId) implements ApiMessage {}
