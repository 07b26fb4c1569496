package dev.netkeeper.client;

import java.time.Duration;
import java.util.Optional;

/**
 * How a remote client behaves.
 *
 * @param timeout   how long one attempt waits for the agent's answer
 * @param attempts  how many times a call is sent (same request id) before it fails with TIMEOUT
 * @param principal who the caller says it is, recorded with every change it makes (audit)
 * @param bindHost  the address the client's own Artery binds to (the agent sends replies there)
 */
public record ClientSettings(Duration timeout, int attempts, Optional<String> principal, String bindHost) {
    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(10), 3, Optional.empty(), "127.0.0.1");
    }

    public ClientSettings withTimeout(Duration value) {
        return new ClientSettings(value, attempts, principal, bindHost);
    }

    public ClientSettings withAttempts(int value) {
        return new ClientSettings(timeout, value, principal, bindHost);
    }

    public ClientSettings withPrincipal(String value) {
        return new ClientSettings(timeout, attempts, Optional.ofNullable(value), bindHost);
    }

    /** The address the client binds to: one the agent can reach (127.0.0.1 only for an agent on this machine). */
    public ClientSettings withBindHost(String value) {
        return new ClientSettings(timeout, attempts, principal, value);
    }
}
