package dev.netkeeper.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a remote client behaves.
 *
 * @param timeout     how long one attempt waits for the agent's answer
 * @param attempts    how many times a call is sent (same request id) before it fails with TIMEOUT
 * @param principal   who the caller says it is on top of what it proves, recorded with every change it makes
 * @param bindHost    the address the client's own Artery binds to (the agent sends replies there)
 * @param credentials the client credentials' directory ({@code netkeeper certs client NAME --out DIR}): what the
 *                    client door's mutual TLS and session need
 */
public record ClientSettings(Duration timeout, int attempts, Optional<String> principal, String bindHost,
                             Optional<Path> credentials) {
    /** Where a client looks for its credentials when none are set: {@code NETKEEPER_CLIENT_TLS}. */
    public static final String CREDENTIALS_ENV = "NETKEEPER_CLIENT_TLS";

    public static ClientSettings defaults() {
        return new ClientSettings(Duration.ofSeconds(10), 3, Optional.empty(), "127.0.0.1",
                Optional.ofNullable(System.getenv(CREDENTIALS_ENV)).filter(s -> !s.isBlank()).map(Path::of));
    }

    public ClientSettings withTimeout(Duration value) {
        return new ClientSettings(value, attempts, principal, bindHost, credentials);
    }

    public ClientSettings withAttempts(int value) {
        return new ClientSettings(timeout, value, principal, bindHost, credentials);
    }

    public ClientSettings withPrincipal(String value) {
        return new ClientSettings(timeout, attempts, Optional.ofNullable(value), bindHost, credentials);
    }

    /** The address the client binds to: one the agent can reach (127.0.0.1 only for an agent on this machine). */
    public ClientSettings withBindHost(String value) {
        return new ClientSettings(timeout, attempts, principal, value, credentials);
    }

    /** The directory of the client's credentials (client.pem, client.key, node-ca.pem). */
    public ClientSettings withCredentials(Path dir) {
        return new ClientSettings(timeout, attempts, principal, bindHost, Optional.ofNullable(dir));
    }
}
