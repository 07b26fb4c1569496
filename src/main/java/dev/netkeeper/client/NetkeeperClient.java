package dev.netkeeper.client;

import dev.netkeeper.api.NamespaceId;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.AgentInfo;
import dev.netkeeper.api.ApiMessage;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.HostInfo;
import dev.netkeeper.api.Names;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;
import dev.netkeeper.api.StateAt;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The seed's API as a Java facade: {@code newNetwork(type, name, options)} and
 * {@code newNetworkNamespace(path)}, plus listings. It speaks only the public protocol
 * ({@link dev.netkeeper.api.Request}): to the agent in the same JVM ({@link #local}) or, from any JVM, to
 * the agent's door over Artery with client credentials ({@link #connect}, {@code netkeeper.api.hostname:port}, no cluster
 * membership). Each call carries one request id, kept across its retries. Blocking methods throw
 * {@link NetkeeperException}; the {@code ...Async} ones complete exceptionally with it. The agent checks
 * every input itself; the client adds no checks of its own.
 */
public final class NetkeeperClient implements AutoCloseable {
    private final Calls calls;
    /** The agent's host id: known at connect, or (over the socket) asked the first time it is needed. */
    private volatile String host;
    private final String origin;
    /** What the client started for itself and stops on {@link #close()} (its ActorSystem, its HTTP client). */
    private final Optional<AutoCloseable> own;

    private NetkeeperClient(Calls calls, String host, String origin, Optional<AutoCloseable> own) {
        this.calls = calls;
        this.host = host;
        this.origin = origin;
        this.own = own;
    }

    /** A client of the agent in this JVM (tests, benchmarks, embedding): the same requests, no transport. */
    public static NetkeeperClient local(Agent agent, Duration timeout) {
        Calls calls = new LocalCalls(agent, timeout);
        AgentInfo info = Calls.await(calls.send(new Request.Describe()));
        return new NetkeeperClient(calls, info.hostId(), "local " + info.address(), Optional.empty());
    }

    /**
     * A client of the agent's local API on its unix socket ({@code netkeeper.api.socket}): what the CLI uses on
     * the agent's own machine. No ActorSystem; the agent records this process's user as the origin.
     */
    public static NetkeeperClient overSocket(java.nio.file.Path socket, ClientSettings settings) {
        SocketCalls calls = SocketCalls.open(socket, settings);
        // no round trip yet: a command-line process asks what it needs and ends (the host id when first used)
        return new NetkeeperClient(calls, null, "socket " + socket + settings.principal().map(p -> " as " + p).orElse(""),
                Optional.of(calls));
    }

    /** Connects to the agent's door at "host:port" ({@code netkeeper.api.hostname:port}) with default settings. */
    public static NetkeeperClient connect(String agentAddress) {
        return connect(agentAddress, ClientSettings.defaults());
    }

    /**
     * Connects to the agent's door at "host:port". Starts a small ActorSystem of its own (Artery on an
     * ephemeral port), closed by {@link #close()}.
     */
    public static NetkeeperClient connect(String agentAddress, ClientSettings settings) {
        return connect(agentAddress, settings, ConfigFactory.empty());
    }

    /**
     * As {@link #connect(String, ClientSettings)}, with {@code overrides} on top of the client
     * ActorSystem's configuration (e.g. a command-line tool silencing Pekko's own logging). The door takes only
     * callers with client credentials ({@link ClientSettings#credentials()}): the client's Artery speaks mutual TLS
     * with them, and it opens a session by signing the door's challenge; the audit trail records the principal
     * of the credentials (their certificate's subject) with every change.
     */
    public static NetkeeperClient connect(String agentAddress, ClientSettings settings, Config overrides) {
        Path credentials = settings.credentials().orElseThrow(() -> new NetkeeperException(ErrorCode.PERMISSION_DENIED,
                "the agent's client door needs client credentials: ClientSettings.withCredentials(DIR) or "
                        + ClientSettings.CREDENTIALS_ENV + "=DIR, with DIR from netkeeper certs client NAME --out DIR"));
        Config config = overrides.withFallback(ConfigFactory.parseMap(Map.of(
                        "pekko.actor.provider", "remote",
                        "pekko.remote.artery.canonical.port", 0,
                        "pekko.remote.artery.canonical.hostname", settings.bindHost(),
                        "pekko.remote.artery.transport", "tls-tcp",
                        "pekko.remote.artery.ssl.ssl-engine-provider", "dev.netkeeper.identity.ClientTls",
                        "netkeeper.tls.dir", credentials.toString(),
                        "pekko.loglevel", "WARNING",
                        "pekko.remote.warn-about-direct-use", "off", // a client is not a cluster member on purpose
                        "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off")))
                // the jar's reference.conf binds the public protocol, the only thing a client sends
                .withFallback(ConfigFactory.defaultReference()).resolve();
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), "netkeeper-client", config);
        } catch (RuntimeException e) {
            throw new NetkeeperException(ErrorCode.PERMISSION_DENIED, "cannot use the client credentials in "
                    + credentials + ": " + rootMessage(e));
        }
        try {
            DoorSession door = new DoorSession(system, agentAddress, credentials, settings.principal(), settings.timeout());
            Supplier<CompletionStage<ActorRef<ApiMessage>>> open = door::open;
            ActorRef<ApiMessage> session = open.get().toCompletableFuture()
                    .get(settings.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            Calls calls = new RemoteCalls(session, open, system.scheduler(), settings.timeout(), settings.attempts());
            AgentInfo info = Calls.await(calls.send(new Request.Describe()));
            String origin = system.address() + settings.principal().map(p -> " as " + p).orElse("");
            return new NetkeeperClient(calls, info.hostId(), origin, Optional.of(() -> {
                system.terminate();
                try {
                    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException slow) {
                    // Artery over TLS sometimes takes longer to close an association (a peer that went away, a
                    // close_notify never answered): the caller is done with the client either way, and the system
                    // goes on terminating in the background
                    system.log().warn("the client's ActorSystem is still stopping after 10 s; not waiting longer");
                }
            }));
        } catch (Exception e) {
            system.terminate();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NetkeeperException n) {
                throw n;
            }
            throw new NetkeeperException(ErrorCode.HOST_UNAVAILABLE, "cannot reach the agent at " + agentAddress
                    + ": " + rootMessage(cause));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    public Network newNetwork(String type, String name, NetworkOptions options) {
        return Calls.await(newNetworkAsync(type, name, options));
    }

    public CompletionStage<Network> newNetworkAsync(String type, String name, NetworkOptions options) {
        return send(new Request.CreateNetwork(name, type, options, null, audit()))
                .thenApply(info -> new Network(this, info.name(), info.type()));
    }

    /** A handle to an existing network (checked with a Get). */
    public Network network(String name) {
        NetworkInfo info = Calls.await(send(new Request.GetNetwork(name, null, 1)));
        return new Network(this, info.name(), info.type());
    }

    /** The network with all of its endpoints (in name order), read page by page. */
    public NetworkInfo networkInfo(String name) {
        NetworkInfo info = Calls.await(send(new Request.GetNetwork(name)));
        while (info.endpointsNext() != null) {
            info = info.followedBy(Calls.await(send(new Request.GetNetwork(name, info.endpointsNext(), 0))));
        }
        return info;
    }

    /** Every network of the cluster, by name. */
    public List<NetworkInfo> networks() {
        List<NetworkInfo> out = new ArrayList<>();
        for (String name : allNames(Request.ListNetworks::new)) {
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
        return newNetworkNamespaceAsync(host(), path);
    }

    /** A namespace mounted at {@code path} on host {@code onHost} (any agent of the cluster takes it). */
    public Namespace newNetworkNamespace(String onHost, String path) {
        return Calls.await(newNetworkNamespaceAsync(onHost, path));
    }

    public CompletionStage<Namespace> newNetworkNamespaceAsync(String onHost, String path) {
        String on = onHost == null || onHost.isEmpty() ? host() : onHost;
        return send(new Request.CreateNamespace(on, path, audit()))
                .thenApply(info -> new Namespace(this, on, info.path()));
    }

    /**
     * Registers a namespace someone else made (a container runtime's) on the agent's host: interfaces can be
     * added to it and removed; {@code delete()} only forgets it, netkeeper never unmounts it.
     */
    public Namespace useNetworkNamespace(String path) {
        return useNetworkNamespace(host(), path);
    }

    public Namespace useNetworkNamespace(String onHost, String path) {
        String on = onHost == null || onHost.isEmpty() ? host() : onHost;
        NamespaceInfo info = Calls.await(send(new Request.UseNamespace(on, path, audit())));
        return new Namespace(this, on, info.path());
    }

    /** A handle to an existing namespace of the agent's host (checked with a Get). */
    public Namespace namespace(String path) {
        return namespace(host(), path);
    }

    /** A handle to an existing namespace of any host of the cluster. */
    public Namespace namespace(String onHost, String path) {
        NamespaceInfo info = Calls.await(send(new Request.GetNamespace(onHost, path)));
        return new Namespace(this, onHost, info.path());
    }

    /** Every namespace of the cluster that exists now, on the hosts whose agents are up. */
    public List<NamespaceInfo> namespaces() {
        List<NamespaceInfo> out = new ArrayList<>();
        for (String id : allNames(Request.ListNamespaces::new)) {
            NamespaceId namespace = NamespaceId.parse(id);
            try {
                out.add(Calls.await(send(new Request.GetNamespace(namespace.host(), namespace.path()))));
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
        return Calls.await(send(new Request.QueryAudit(query == null ? AuditQuery.all() : query)));
    }

    /**
     * Networks and namespaces as they were at {@code atMillis} (epoch millis UTC). {@code networkOrNull}: only
     * that network, and the namespaces that held one of its interfaces then; null: all of them.
     */
    public StateAt stateAt(long atMillis, String networkOrNull) {
        return Calls.await(send(new Request.QueryStateAt(atMillis, networkOrNull)));
    }

    /** The hosts of the cluster and their agents' status, as the agent this client talks to sees them. */
    public List<HostInfo> hosts() {
        return Calls.await(send(new Request.ListHosts())).hosts();
    }

    /** The host id of the agent this client talks to. */
    public String host() {
        if (host == null) {
            host = Calls.await(calls.send(new Request.Describe())).hostId();
        }
        return host;
    }

    /** Every name of a paged listing ({@code page} of (after, limit)), read page by page. */
    private List<String> allNames(java.util.function.BiFunction<String, Integer, Request<Names>> page) {
        List<String> all = new ArrayList<>();
        String after = null;
        do {
            Names names = Calls.await(send(page.apply(after, 0)));
            all.addAll(names.names());
            after = names.next();
        } while (after != null);
        return all;
    }

    <R> CompletionStage<R> send(Request<R> request) {
        return calls.send(request);
    }

    /** A new request id (one per call, kept by all its retries), stamped now, with this client's origin. */
    Audit audit() {
        return Audit.now(UUID.randomUUID().toString(), origin);
    }

    /** Stops the client's own ActorSystem (a {@link #connect}ed client); a local client has none. */
    @Override
    public void close() {
        own.ifPresent(s -> {
            try {
                s.close();
            } catch (Exception e) {
                throw new IllegalStateException("client did not stop: " + e, e);
            }
        });
    }
}
