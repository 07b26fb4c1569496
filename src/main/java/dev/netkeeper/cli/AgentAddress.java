package dev.netkeeper.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which agent to talk to: {@code --agent HOST:PORT}, else the agent's client door from its
 * configuration ({@code netkeeper.api.hostname:port} of {@code --config FILE}, falling
 * back to the application.conf in the jar, with -D properties and NETKEEPER_* variables applied as the
 * agent applies them).
 */
final class AgentAddress {
    private static final String HOSTNAME = "netkeeper.api.hostname";
    private static final String PORT = "netkeeper.api.port";

    private AgentAddress() {}

    static String resolve(Optional<String> agent, Optional<String> configFile) {
        if (agent.isPresent()) {
            return check(agent.get());
        }
        Config user = ConfigFactory.empty();
        if (configFile.isPresent()) {
            Path file = Path.of(configFile.get());
            if (!Files.isReadable(file)) {
                throw new UsageException("cannot read config file " + file);
            }
            user = ConfigFactory.parseFile(file.toFile());
        }
        try {
            Config c = ConfigFactory.systemProperties().withFallback(user)
                    .withFallback(ConfigFactory.parseResources("application.conf")).resolve();
            return check(c.getString(HOSTNAME) + ":" + c.getInt(PORT));
        } catch (ConfigException e) {
            throw new UsageException("no agent address in the configuration: " + e.getMessage());
        }
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
