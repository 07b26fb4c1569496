package dev.netkeeper.cli;

import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.NetkeeperClient;

import java.util.Optional;

/**
 * The connection to the agent, made on first use (so that usage errors never start an ActorSystem) and
 * always closed, which terminates the client's ActorSystem and lets the process end promptly.
 */
final class Session implements AutoCloseable {
    private final Optional<String> agent;
    private final Optional<String> config;
    private final ClientSettings settings;
    private NetkeeperClient client;

    Session(Optional<String> agent, Optional<String> config, Optional<String> principal) {
        this.agent = agent;
        this.config = config;
        ClientSettings s = ClientSettings.defaults();
        this.settings = principal.isPresent() ? s.withPrincipal(principal.get()) : s;
    }

    static Session from(Args args) {
        return new Session(args.value("--agent"), args.value("--config"), args.value("--principal"));
    }

    /** The agent address this session talks to: --agent, else the config's Artery hostname:port. */
    String agentAddress() {
        return AgentAddress.resolve(agent, config);
    }

    NetkeeperClient client() {
        if (client == null) {
            client = NetkeeperClient.connect(agentAddress(), settings);
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            NetkeeperClient c = client;
            client = null;
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // the client's ActorSystem did not stop in time; the process ends anyway
            }
        }
    }
}
