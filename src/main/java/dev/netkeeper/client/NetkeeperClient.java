package dev.netkeeper.client;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.PathPolicy;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkPlan;
import org.apache.pekko.actor.typed.RecipientRef;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The seed's API as a Java facade: {@code newNetwork(type, name, options)} and
 * {@code newNetworkNamespace(path)}. Each call carries a fresh request id. Blocking methods throw
 * {@link NetkeeperException}; the {@code ...Async} ones complete exceptionally with it.
 */
public final class NetkeeperClient {
    private final Function<String, RecipientRef<NetworkCommand>> networks;
    private final Function<String, RecipientRef<NamespaceCommand>> namespaces;
    private final PathPolicy pathPolicy;
    private final String host;
    private final String origin;
    final Calls calls;

    NetkeeperClient(Function<String, RecipientRef<NetworkCommand>> networks,
                    Function<String, RecipientRef<NamespaceCommand>> namespaces, PathPolicy pathPolicy,
                    String host, String origin, Calls calls) {
        this.networks = networks;
        this.namespaces = namespaces;
        this.pathPolicy = pathPolicy;
        this.host = host;
        this.origin = origin;
        this.calls = calls;
    }

    /** A client inside the agent's own JVM (tests, the CLI's local mode). */
    public static NetkeeperClient local(NetkeeperNode node, Duration timeout) {
        return new NetkeeperClient(node::network, node::namespace, node.pathPolicy(), node.settings().hostId(),
                "local:" + node.system().address(), new Calls(node.system().scheduler(), timeout));
    }

    public Network newNetwork(String type, String name, NetworkOptions options) {
        return Calls.await(newNetworkAsync(type, name, options));
    }

    public CompletionStage<Network> newNetworkAsync(String type, String name, NetworkOptions options) {
        try {
            NetworkPlan.checkNetworkName(name);
        } catch (NetkeeperException e) {
            return Calls.failed(e);
        }
        NetworkOptions opts = options == null ? NetworkOptions.defaults() : options;
        return calls.<NetworkCommand, NetworkInfo>ask(networks.apply(name),
                        r -> new NetworkCommand.Create(type, opts, audit(), r))
                .thenApply(info -> new Network(this, info.name(), info.type()));
    }

    /** A handle to an existing network (checked with a Get). */
    public Network network(String name) {
        NetworkInfo info = networkInfo(name);
        return new Network(this, info.name(), info.type());
    }

    public NetworkInfo networkInfo(String name) {
        NetworkPlan.checkNetworkName(name);
        return Calls.await(calls.<NetworkCommand, NetworkInfo>ask(networks.apply(name), NetworkCommand.Get::new));
    }

    public Namespace newNetworkNamespace(String path) {
        return Calls.await(newNetworkNamespaceAsync(path));
    }

    public CompletionStage<Namespace> newNetworkNamespaceAsync(String path) {
        try {
            pathPolicy.check(path);
        } catch (NetkeeperException e) {
            return Calls.failed(e);
        }
        return calls.<NamespaceCommand, NamespaceInfo>ask(namespaceRef(path),
                        r -> new NamespaceCommand.Create(audit(), r))
                .thenApply(info -> new Namespace(this, info.path()));
    }

    /** A handle to an existing namespace of this host (checked with a Get). */
    public Namespace namespace(String path) {
        pathPolicy.check(path);
        NamespaceInfo info = Calls.await(calls.<NamespaceCommand, NamespaceInfo>ask(namespaceRef(path),
                NamespaceCommand.Get::new));
        return new Namespace(this, info.path());
    }

    RecipientRef<NetworkCommand> networkRef(String name) {
        return networks.apply(name);
    }

    RecipientRef<NamespaceCommand> namespaceRef(String path) {
        return namespaces.apply(NamespaceEntity.entityId(host, path));
    }

    Audit audit() {
        return Audit.now(UUID.randomUUID().toString(), origin);
    }
}
