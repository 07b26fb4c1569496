package dev.netkeeper.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which agent to talk to: the local API's socket ({@code --socket}, else NETKEEPER_API_SOCKET, else
 * {@code netkeeper.api.socket} of {@code --config FILE}, falling back to the application.conf in the jar, with -D
 * properties and NETKEEPER_* variables applied as the agent applies them), or the Artery door of
 * {@code --agent HOST:PORT}.
 */
final class AgentAddress {
    private AgentAddress() {}

    /** The local API's socket: {@code --socket}, else NETKEEPER_API_SOCKET, else the config's netkeeper.api.socket. */
    static Path socket(Optional<String> socket, Optional<String> configFile) {
        if (socket.isPresent()) {
            return Path.of(socket.get());
        }
        String env = System.getenv("NETKEEPER_API_SOCKET");
        if (env != null && !env.isBlank()) {
            return Path.of(env.strip());
        }
        try {
            String configured = config(configFile).getString(SOCKET);
            if (configured.isBlank()) {
                throw new UsageException("no local API socket is configured (netkeeper.api.socket): use --agent HOST:PORT");
            }
            return Path.of(configured);
        } catch (ConfigException e) {
            throw new UsageException("no local API socket in the configuration: " + e.getMessage());
        }
    }

    private static final String SOCKET = "netkeeper.api.socket";

    private static Config config(Optional<String> configFile) {
        Config user = ConfigFactory.empty();
        if (configFile.isPresent()) {
            Path file = Path.of(configFile.get());
            if (!Files.isReadable(file)) {
                throw new UsageException("cannot read config file " + file);
            }
            user = ConfigFactory.parseFile(file.toFile());
        }
        return ConfigFactory.systemProperties().withFallback(user)
                .withFallback(ConfigFactory.parseResources("application.conf")).resolve();
    }

    /** The Artery door of {@code --agent HOST:PORT}. */
    static String resolve(String agent) {
        return check(agent);
    }

    /** "host:port" with a port in 1..65535. */
    static String check(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new UsageException("--agent wants HOST:PORT, not '" + address + "'");
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--agent wants HOST:PORT with a port 1..65535, not '" + address + "'");
        }
        return address;
    }
}
