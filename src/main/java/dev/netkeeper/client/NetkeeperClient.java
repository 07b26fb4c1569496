package dev.netkeeper.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.HostInfo;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.audit.AuditPage;
import dev.netkeeper.audit.AuditQuery;
import dev.netkeeper.audit.StateAt;
import dev.netkeeper.cluster.Gateway;
import dev.netkeeper.cluster.NetkeeperNode;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.PathPolicy;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkPlan;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The seed's API as a Java facade: {@code newNetwork(type, name, options)} and
 * {@code newNetworkNamespace(path)}, plus listings. It talks to an agent's gateway, in the same JVM
 * ({@link #local}) or over Artery from any JVM ({@link #connect}, no cluster membership). Each call
 * carries one request id, kept across its retries. Blocking methods throw {@link NetkeeperException};
 * the {@code ...Async} ones complete exceptionally with it.
 */
public final class NetkeeperClient implements AutoCloseable {
    private final Calls calls;
    private final String host;
    private final String origin;
    /** Refuses a namespace path before anything is sent (the agent checks again, fully). */
    private final java.util.function.Consumer<String> pathCheck;
    private final Optional<ActorSystem<Void>> ownSystem;

    private NetkeeperClient(Calls calls, String host, String origin, java.util.function.Consumer<String> pathCheck,
                            Optional<ActorSystem<Void>> ownSystem) {
        this.calls = calls;
        this.host = host;
        this.origin = origin;
        this.pathCheck = pathCheck;
        this.ownSystem = ownSystem;
    }

    /** A client inside the agent's own JVM (tests, benchmarks). */
    public static NetkeeperClient local(NetkeeperNode node, Duration timeout) {
        return new NetkeeperClient(new Calls(node.gateway(),
                () -> java.util.concurrent.CompletableFuture.completedFuture(node.gateway()),
                node.system().scheduler(), timeout, 1),
                node.settings().hostId(), "local " + node.system().address(), node.pathPolicy()::check, Optional.empty());
    }

    /** Connects to the agent at "host:port" (its Artery address) with default settings. */
    public static NetkeeperClient connect(String agentAddress) {
        return connect(agentAddress, ClientSettings.defaults());
    }

    /**
     * Connects to the agent at "host:port". Starts a small ActorSystem of its own (Artery on an
     * ephemeral port), closed by {@link #close()}.
     */
    public static NetkeeperClient connect(String agentAddress, ClientSettings settings) {
        return connect(agentAddress, settings, ConfigFactory.empty());
    }

    /**
     * As {@link #connect(String, ClientSettings)}, with {@code overrides} on top of the client
     * ActorSystem's configuration (e.g. a command-line tool silencing Pekko's own logging).
     */
    public static NetkeeperClient connect(String agentAddress, ClientSettings settings, Config overrides) {
        Config config = overrides.withFallback(ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "remote",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.remote.artery.canonical.hostname", settings.bindHost(),
                        "pekko.loglevel", "WARNING",
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off")))
                .withFallback(ConfigFactory.parseResources("application.conf"))
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "netkeeper-client", config);
        try {
            String path = "pekko://netkeeper@" + agentAddress + "/user/" + Gateway.NAME;
            Supplier<CompletionStage<ActorRef<Gateway.Command>>> resolve = () -> Adapter.toClassic(system)
                    .actorSelection(path).resolveOne(settings.timeout())
                    .thenApply(classic -> Adapter.<Gateway.Command>toTyped(classic));
            ActorRef<Gateway.Command> gateway = resolve.get().toCompletableFuture()
                    .get(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            Calls calls = new Calls(gateway, resolve, system.scheduler(), settings.timeout(), settings.attempts());
            Gateway.AgentInfo info = Calls.await(calls.<Gateway.AgentInfo>ask(Gateway.Describe::new));
            String origin = system.address() + settings.principal().map(p -> " as " + p).orElse("");
            // The agent knows its allowed roots; the client only refuses what no agent would take.
            return new NetkeeperClient(calls, info.hostId(), origin, PathPolicy::checkSyntax, Optional.of(system));
        } catch (Exception e) {
            system.terminate();
            if (e instanceof NetkeeperException n) {
                throw n;
            }
            throw new NetkeeperException(ErrorCode.HOST_UNAVAILABLE, "cannot reach the agent at " + agentAddress
                    + ": " + e.getMessage());
        }
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
        Audit audit = audit(); // one request id for the call and all its retries
        return this.<NetworkInfo>toNetwork(name, r -> new NetworkCommand.Create(type, opts, audit, r))
                .thenApply(info -> new Network(this, info.name(), info.type()));
    }

    /** A handle to an existing network (checked with a Get). */
    public Network network(String name) {
        NetworkInfo info = networkInfo(name);
        return new Network(this, info.name(), info.type());
    }

    public NetworkInfo networkInfo(String name) {
        NetworkPlan.checkNetworkName(name);
        return Calls.await(this.<NetworkInfo>toNetwork(name, NetworkCommand.Get::new));
    }

    /** Every network of the cluster, by name. */
    public List<NetworkInfo> networks() {
        List<NetworkInfo> out = new ArrayList<>();
        for (String name : Calls.await(calls.<Gateway.Names>ask(Gateway.ListNetworks::new)).names()) {
            try {
                out.add(networkInfo(name));
            } catch (NetkeeperException e) {
                if (e.code() != ErrorCode.NO_SUCH_NETWORK) {
                    throw e;
                }
            }
        }
        return out;
    }

    public Namespace newNetworkNamespace(String path) {
        return Calls.await(newNetworkNamespaceAsync(path));
    }

    public CompletionStage<Namespace> newNetworkNamespaceAsync(String path) {
        return newNetworkNamespaceAsync(host, path);
    }

    /** A namespace mounted at {@code path} on host {@code onHost} (any agent of the cluster takes it). */
    public Namespace newNetworkNamespace(String onHost, String path) {
        return Calls.await(newNetworkNamespaceAsync(onHost, path));
    }

    public CompletionStage<Namespace> newNetworkNamespaceAsync(String onHost, String path) {
        String on = onHost == null || onHost.isEmpty() ? host : onHost;
        try {
            pathCheck.accept(path);
        } catch (NetkeeperException e) {
            return Calls.failed(e);
        }
        Audit audit = audit(); // one request id for the call and all its retries
        return this.<NamespaceInfo>toNamespace(on, path, r -> new NamespaceCommand.Create(audit, r))
                .thenApply(info -> new Namespace(this, on, info.path()));
    }

    /** A handle to an existing namespace of the agent's host (checked with a Get). */
    public Namespace namespace(String path) {
        return namespace(host, path);
    }

    /** A handle to an existing namespace of any host of the cluster. */
    public Namespace namespace(String onHost, String path) {
        pathCheck.accept(path);
        NamespaceInfo info = Calls.await(this.<NamespaceInfo>toNamespace(onHost, path, NamespaceCommand.Get::new));
        return new Namespace(this, onHost, info.path());
    }

    /** Every namespace of the cluster that exists now, on the hosts whose agents are up. */
    public List<NamespaceInfo> namespaces() {
        List<NamespaceInfo> out = new ArrayList<>();
        for (String id : Calls.await(calls.<Gateway.Names>ask(Gateway.ListNamespaces::new)).names()) {
            int colon = id.indexOf(':');
            try {
                out.add(Calls.await(this.<NamespaceInfo>toNamespace(id.substring(0, colon), id.substring(colon + 1),
                        NamespaceCommand.Get::new)));
            } catch (NetkeeperException e) {
                // deleted, or on a host that is away: a listing shows what can be used now
                if (e.code() != ErrorCode.NO_SUCH_NAMESPACE && e.code() != ErrorCode.HOST_UNAVAILABLE) {
                    throw e;
                }
            }
        }
        return out;
    }

    /**
     * One page of the audit trail, ordered by offset (journal order); null: {@link AuditQuery#all()}. To read
     * on (or to follow), ask again with {@code afterOffset = page.lastOffset()}; an empty page means nothing
     * more yet. A page may hold fewer than {@code limit} records even when more follow.
     */
    public AuditPage audit(AuditQuery query) {
        AuditQuery q = query == null ? AuditQuery.all() : query;
        return Calls.await(calls.<AuditPage>ask(r -> new Gateway.QueryAudit(q, r)));
    }

    /**
     * Networks and namespaces as they were at {@code atMillis} (epoch millis UTC). {@code networkOrNull}: only
     * that network, and the namespaces that held one of its interfaces then; null: all of them.
     */
    public StateAt stateAt(long atMillis, String networkOrNull) {
        return Calls.await(calls.<StateAt>ask(r -> new Gateway.QueryStateAt(atMillis, networkOrNull, r)));
    }

    /** The hosts of the cluster and their agents' status, as the agent this client talks to sees them. */
    public List<HostInfo> hosts() {
        return Calls.await(calls.<Gateway.Hosts>ask(Gateway.ListHosts::new)).hosts();
    }

    /** The host id of the agent this client talks to. */
    public String host() {
        return host;
    }

    <R> CompletionStage<R> toNetwork(String name, Function<ActorRef<StatusReply<R>>, NetworkCommand> command) {
        return calls.ask(r -> new Gateway.ToNetwork(name, command.apply(r)));
    }

    <R> CompletionStage<R> toNamespace(String onHost, String path,
                                       Function<ActorRef<StatusReply<R>>, NamespaceCommand> command) {
        return calls.ask(r -> new Gateway.ToNamespace(onHost, path, command.apply(r)));
    }

    <R> CompletionStage<R> ask(Function<ActorRef<StatusReply<R>>, Gateway.Command> request) {
        return calls.ask(request);
    }

    Audit audit() {
        return Audit.now(UUID.randomUUID().toString(), origin);
    }

    /** Stops the client's own ActorSystem (a {@link #connect}ed client); a local client has none. */
    @Override
    public void close() {
        ownSystem.ifPresent(s -> {
            s.terminate();
            try {
                s.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("client did not stop: " + e, e);
            }
        });
    }
}
