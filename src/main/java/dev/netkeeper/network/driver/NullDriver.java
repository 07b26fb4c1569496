package dev.netkeeper.network.driver;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Docker's "none" network: endpoints exist for bookkeeping but get no interface and no address. */
public final class NullDriver implements NetworkDriver {
    @Override
    public String type() {
        return "null";
    }

    @Override
    public List<String> aliases() {
        return List.of("none");
    }

    @Override
    public boolean assignsAddresses() {
        return false;
    }

    @Override
    public boolean createsInterfaces() {
        return false;
    }

    @Override
    public Map<String, String> resolveOptions(String networkName, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION,
                    "the null driver takes no options, got " + options.keySet());
        }
        return Map.of();
    }

    @Override
    public List<KernelTask> setUp(NetworkConfig network) {
        return List.of();
    }

    @Override
    public List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints) {
        return List.of();
    }

    @Override
    public List<KernelTask> attach(NetworkConfig network, Endpoint endpoint) {
        return List.of();
    }

    @Override
    public List<KernelTask> detach(NetworkConfig network, Endpoint endpoint) {
        return List.of();
    }

    @Override
    public List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints) {
        return List.of();
    }
}
