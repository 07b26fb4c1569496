package dev.netkeeper.cluster;

import dev.netkeeper.dns.DnsSettings;
import dev.netkeeper.dns.Resolvers;
import dev.netkeeper.kernel.HostLiveness;
import dev.netkeeper.overlay.OverlayPeers;
import dev.netkeeper.overlay.UnderlayRole;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.Request;
import dev.netkeeper.api.HostInfo;
import dev.netkeeper.kernel.CrashPoints;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.NamespaceServices;
import dev.netkeeper.namespace.PathPolicy;
import dev.netkeeper.network.EndpointDirectory;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.network.NetworkServices;
import dev.netkeeper.network.PlacementListener;
import dev.netkeeper.network.driver.Drivers;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.nio.file.Path;
import dev.netkeeper.identity.NodeCredentials;
import dev.netkeeper.journal.EmbeddedJournal;
import dev.netkeeper.journal.JournalHealth;
import java.util.Map;
import dev.netkeeper.api.Readiness;
import dev.netkeeper.kernel.TaskSequence;
import org.apache.pekko.Done;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One agent: the ActorSystem "netkeeper" as a cluster member (with role "host-&lt;host id&gt;"), the
 * journal schema, the host's netlink actor (registered with the Receptionist under the host id) and
 * the router that reaches any host's, and Cluster Sharding for networks (anywhere in the cluster),
 * namespaces (each on its host's node) and the network directory, with remembered entities so that all
 * of them wake (and converge) at start-up; once Up, it also wakes its host's namespaces and asks every
 * network to converge this host ({@link HostWakeUp}), which matters when it rejoins a running cluster.
 */
public final class NetkeeperNode implements Agent, AutoCloseable {
    private static final int SCHEMA_ATTEMPTS = 5;
    private final ActorSystem<SpawnProtocol.Command> system;
    private final AgentSettings settings;
    private final ClusterSharding sharding;
    private final PathPolicy pathPolicy;
    private ActorRef<Gateway.Command> gateway;
    private ActorRef<KernelRouter.Command> kernelRouter;
    private ActorRef<JournalProbe.Probe> journalProbe;
    private JournalHealth journalHealth;
    /** The changing requests being carried out now (what a failed journal write may have taken with it). */
    private final java.util.Set<CompletableFuture<?>> changesInFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AgentMetrics metrics = new AgentMetrics();
    private final long startedAt = System.currentTimeMillis();
    /** This host's netlink actor. */
    private ActorRef<NetlinkActor.Command> netlink;
    /** This host's resolvers (null when netkeeper.dns.enabled is off). */
    private Resolvers resolvers;
    /** This host's VXLAN devices' view of the other hosts' endpoints. */
    private OverlayPeers overlayPeers;

    private NetkeeperNode(ActorSystem<SpawnProtocol.Command> system, AgentSettings settings) {
        this.system = system;
        this.settings = settings;
        this.sharding = ClusterSharding.get(system);
        this.pathPolicy = new PathPolicy(settings.namespaceRoots());
    }

    /** Starts an agent and waits until it is an Up cluster member with sharding running. */
    public static NetkeeperNode start(Config given) {
        AgentSettings settings = AgentSettings.from(given);
        // The host role places this host's namespace shards here (HostAffineAllocation).
        List<String> roles = new ArrayList<>(given.getStringList("pekko.cluster.roles"));
        roles.add(HostAffineAllocation.role(settings.hostId()));
        // and where the other hosts' VXLAN devices reach this one (OverlayPeers reads it from the members)
        settings.underlay().ifPresent(a -> roles.add(UnderlayRole.of(dev.netkeeper.netlink.IpPrefix.format(a))));
        // and where the other hosts' VXLAN devices reach this one (OverlayPeers reads it from the members)
        Config config = given.withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles));
        CrashPoints.arm(settings.crashAt());
        try {
            Files.createDirectories(settings.dataDir());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + settings.dataDir() + ": " + e, e);
        }
        if (isEmbedded(config)) {
            // its schema and modes, before any entity can write; an H2 journal of an earlier version is refused, named
            EmbeddedJournal.prepare(settings.dataDir());
        }
        // a fresh single host makes its CAs and credentials; a host without them is refused, named (the client
        // door uses them whatever the cluster's transport)
        NodeCredentials.ensure(Path.of(config.getString("netkeeper.tls.dir")), settings.hostId());
        ActorSystem<SpawnProtocol.Command> system = ActorSystem.create(SpawnProtocol.create(), "netkeeper", config);
        try {
            NetkeeperNode node = new NetkeeperNode(system, settings);
            node.boot(config);
            return node;
        } catch (RuntimeException | Error e) {
            system.terminate();
            throw e;
        }
    }

    private void boot(Config config) {
        Duration timeout = settings.askTimeout();
        if (!isEmbedded(config)) {
            createSchema(timeout);
        }

        Cluster cluster = Cluster.get(system);
        if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }

        ActorRef<NetlinkActor.Command> netlink = spawn(NetlinkActor.create(settings.hostNamespace(), settings.namespaceRoots(),
                        settings.firewall(), settings.underlay()),
                "netlink", NetlinkActor.dispatcher(), timeout);
        system.receptionist().tell(Receptionist.register(NetlinkActor.key(settings.hostId()), netlink));
        this.netlink = netlink;
        ActorRef<KernelRouter.Command> kernels = spawn(KernelRouter.create(settings.hostId(), netlink, timeout.multipliedBy(3)), "kernels",
                Props.empty(), timeout);
        kernelRouter = kernels;
        journalProbe = spawn(JournalProbe.create(settings.hostId()), "journal-probe", Props.empty(), timeout);
        journalHealth = JournalHealth.of(Adapter.toClassic(system));
        metrics.journal(journalHealth);
        // a failed write loses its commands' replies (the entity restarts): their callers hear it now, not at a time-out
        // (all of them: which batch held whose events is not known here; a retry with the same request id is safe)
        journalHealth.onFailure(why -> changesInFlight.forEach(f -> f.completeExceptionally(journalInFlight(why))));
        // while the journal fails, a probe write every second finds when it takes writes again (space freed)
        system.scheduler().scheduleWithFixedDelay(Duration.ofSeconds(1), Duration.ofSeconds(1), () -> {
            if (journalHealth.failing().isPresent()) {
                journalProbe.tell(new JournalProbe.Probe(system.ignoreRef()));
            }
        }, system.executionContext());
        ActorRef<EndpointDirectory.Command> endpoints = spawn(EndpointDirectory.create(timeout), "endpoints",
                Props.empty(), timeout);
        Drivers drivers = Drivers.load();

        sharding.init(Entity.of(NetworkDirectory.TYPE_KEY, ctx -> NetworkDirectory.create(settings.pools(), settings.quotas())));
        PlacementListener placements = new PlacementListener() {
            @Override
            public void endpointRemoved(String namespace, String network, String endpoint, Audit audit) {
                namespace(namespace).tell(new NamespaceCommand.Forget(network, endpoint, audit));
            }

            @Override
            public void verifyPlacement(String namespace, String network, String endpoint, dev.netkeeper.api.Interface born) {
                namespace(namespace).tell(new NamespaceCommand.VerifyPlacement(network, endpoint, born));
            }
        };
        NetworkServices networkServices = new NetworkServices(settings.hostId(), kernels, directory(), endpoints,
                placements, drivers, timeout, settings.snapshotEvery(), settings.quotas());
        sharding.init(Entity.of(NetworkEntity.TYPE_KEY, ctx -> NetworkEntity.create(ctx.getEntityId(), networkServices, ctx.getShard())));
        NamespaceServices namespaceServices = new NamespaceServices(kernels, endpoints, this::network, pathPolicy, timeout,
                settings.snapshotEvery(), settings.hostNamespace());
        // Namespaces are not remembered by the shards: HostWakeUp wakes every namespace of the host from the journal
        // once the member is Up, and a remembered entity costs one more journal write (fsync) when it starts, which
        // every new container's namespace (a CNI ADD) would pay on its critical path.
        sharding.init(Entity.of(NamespaceEntity.TYPE_KEY,
                        ctx -> NamespaceEntity.create(ctx.getEntityId(), namespaceServices, ctx.getShard()))
                .withSettings(org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings.create(system)
                        .withRememberEntities(false))
                .withMessageExtractor(new NamespacesByHost())
                .withAllocationStrategy(new HostAffineAllocation()));

        if (system.settings().config().getString("pekko.remote.artery.transport").equals("tls-tcp")) {
            spawn(HostIdentityGuard.create(), "host-identity-guard", Props.empty(), timeout);
        }
        gateway = spawn(Gateway.create(this), Gateway.NAME, Props.empty(), timeout);

        long deadline = System.nanoTime() + timeout.multipliedBy(3).toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the agent did not become an Up cluster member in time");
            }
            sleep(20);
        }
        // Any converge of this host that started after this agent did saw its current kernel.
        HostWakeUp.run(this, startedAt);
        resolvers = Resolvers.start(system, DnsSettings.from(config), settings.hostId(), settings.hostNamespace());
        overlayPeers = OverlayPeers.start(system, settings.hostId(), kernelRouter, timeout);
    }

    /**
     * The library's own create script for the journal's kind (its current schema). Not SchemaUtils.createIfNotExists:
     * that picks the legacy schema for any DAO but the library's, and ours (ObservedJournalDao) only observes it.
     */
    private static String libraryScript(Config config) {
        String kind = config.getString("netkeeper.journal.kind");
        String resource = "schema/" + kind + "/" + kind + "-create-schema.sql";
        try (java.io.InputStream in = NetkeeperNode.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no journal schema script " + resource);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + resource + ": " + e, e);
        }
    }

    /** Whether the journal is the embedded SQLite one (its schema is ours, made by {@link EmbeddedJournal}). */
    private static boolean isEmbedded(Config config) {
        return config.getString("netkeeper.journal.kind").equals("sqlite");
    }

    /**
     * Creates the journal's tables unless they exist. Agents of a cluster starting together on a fresh
     * PostgreSQL database race here: concurrent CREATE TABLE IF NOT EXISTS can fail with a unique
     * violation in PostgreSQL's catalog, so a failure is retried (the winner's tables are then there).
     */
    private void createSchema(Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            try {
                await(SchemaUtils.applyScript(libraryScript(system.settings().config()), system), timeout,
                        "creating the journal schema");
                return;
            } catch (IllegalStateException e) {
                if (attempt == SCHEMA_ATTEMPTS) {
                    throw e;
                }
                system.log().info("creating the journal schema failed (attempt {}), trying again: {}", attempt,
                        e.getMessage());
                sleep(100L + ThreadLocalRandom.current().nextLong(400));
            }
        }
    }

    /**
     * Whether {@code host}'s agent is up ({@link HostLiveness}: the one rule the kernel router and the shard allocation
     * use too); commands for that host's kernel are refused with HOST_UNAVAILABLE otherwise.
     */
    public boolean hostIsUp(String host) {
        return host.equals(settings.hostId()) || HostLiveness.isUp(host, Cluster.get(system).state());
    }

    /** Every member with a host role, by host id: its address and status as this node sees it. */
    public List<HostInfo> hosts() {
        ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
        List<HostInfo> out = new ArrayList<>();
        for (Member m : state.getMembers()) {
            for (String role : m.getRoles()) {
                String host = HostAffineAllocation.hostOf(role);
                if (host != null) {
                    String status = state.getUnreachable().contains(m) ? HostInfo.UNREACHABLE
                            : m.status().toString().toLowerCase(java.util.Locale.ROOT);
                    out.add(new HostInfo(host, m.address().toString(), status));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(HostInfo::host).thenComparing(HostInfo::address));
        return out;
    }

    /** The entity ids ("host:path") of every namespace the journal knows, deleted ones included, sorted. */
    public CompletionStage<List<String>> namespaceIds() {
        JdbcReadJournal journal = PersistenceQuery.get(system)
                .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
        String prefix = NamespaceEntity.TYPE_KEY.name() + "|";
        return journal.currentPersistenceIds().filter(id -> id.startsWith(prefix))
                .map(id -> id.substring(prefix.length()))
                .runWith(Sink.seq(), system)
                .thenApply(ids -> ids.stream().sorted().toList());
    }

    public EntityRef<NetworkCommand> network(String name) {
        return sharding.entityRefFor(NetworkEntity.TYPE_KEY, name);
    }

    public EntityRef<NamespaceCommand> namespace(String entityId) {
        return sharding.entityRefFor(NamespaceEntity.TYPE_KEY, entityId);
    }

    /** Where kernel work for a host goes (this host's netlink actor, or another host's agent). */
    public ActorRef<KernelRouter.Command> kernels() {
        return kernelRouter;
    }

    public EntityRef<NetworkDirectory.Command> directory() {
        return sharding.entityRefFor(NetworkDirectory.TYPE_KEY, NetworkDirectory.ID);
    }

    /**
     * Carries out a public request through this node's {@link Gateway}, as every door does. Waits up to
     * three ask-timeouts: an entity may itself wait for the kernel, the directory and another entity.
     */
    @Override
    public <R> CompletionStage<R> submit(Request<R> request) {
        CompletableFuture<R> out = new CompletableFuture<>();
        long started = System.nanoTime();
        Optional<String> journalFails = journalHealth.failing();
        if (journalFails.isPresent() && request != null && request.carriedAudit() != null) {
            // nothing could be journaled: refused at once, not after a time-out; retried, it is taken once writes succeed
            NetkeeperException refused = journalRefusal(journalFails.get());
            metrics.command(request, refused.code().name(), System.nanoTime() - started);
            out.completeExceptionally(refused);
            return out;
        }
        if (request != null && request.carriedAudit() != null) {
            changesInFlight.add(out);
            out.whenComplete((v, e) -> changesInFlight.remove(out));
        }
        AskPattern.<Gateway.Command, R>askWithStatus(gateway, r -> new Gateway.Handle<>(request, r),
                        settings.askTimeout().multipliedBy(3), system.scheduler())
                .whenComplete((value, err) -> {
                    NetkeeperException failure = err == null ? null : NetkeeperException.of(err);
                    if (failure != null && failure.code() == ErrorCode.TIMEOUT && journalHealth.failing().isPresent()) {
                        failure = journalInFlight(journalHealth.failing().get()); // what the time-out was
                    }
                    if (request != null) {
                        metrics.command(request, failure == null ? "ok" : failure.code().name(), System.nanoTime() - started);
                    }
                    if (failure == null) {
                        out.complete(value);
                    } else {
                        out.completeExceptionally(failure);
                    }
                });
        return out;
    }

    private static NetkeeperException journalInFlight(String why) {
        return new NetkeeperException(ErrorCode.JOURNAL, "the journal failed a write while this request was in flight ("
                + why + "): it may not have been taken; the same request (same request id) answers its outcome once the"
                + " journal takes writes again");
    }

    private static NetkeeperException journalRefusal(String why) {
        return new NetkeeperException(ErrorCode.JOURNAL, "the journal cannot be written (" + why + "): nothing was"
                + " changed; the same request is taken once the journal takes writes again");
    }

    /** This host's netlink actor (the one owner of its netlink sockets and firewall table). */
    public ActorRef<NetlinkActor.Command> netlink() {
        return netlink;
    }

    /**
     * Ready when the journal takes a write, this node is an Up member of its cluster, and its netlink actor
     * answers, each within {@link #READY_WITHIN}; otherwise the failing parts say what is wrong.
     */
    @Override
    public CompletionStage<Readiness> readiness() {
        CompletableFuture<String> journal = check(AskPattern.<JournalProbe.Probe, Done>ask(journalProbe,
                JournalProbe.Probe::new, READY_WITHIN, system.scheduler()), "no journal write");
        MemberStatus status = Cluster.get(system).selfMember().status();
        String cluster = status == MemberStatus.up() ? Readiness.OK : "this member is " + status + ", not Up";
        CompletableFuture<String> netlink = check(KernelRouter.run(kernelRouter, settings.hostId(),
                List.of(new TaskSequence(List.of())), READY_WITHIN, system.scheduler()), "the netlink actor did not answer");
        CompletableFuture<List<String>> warnings = AskPattern.<KernelRouter.Command, NetlinkActor.Warnings>askWithStatus(
                        kernelRouter, r -> new KernelRouter.OnHost(settings.hostId(), new NetlinkActor.FirewallWarnings(r)),
                        READY_WITHIN, system.scheduler()).toCompletableFuture()
                .handle((w, err) -> err == null ? w.warnings() : List.<String>of());
        return journal.thenCombine(netlink, (j, n) -> Map.of("journal", j, "cluster", cluster, "netlink", n))
                .thenCombine(warnings, Readiness::new);
    }

    static final Duration READY_WITHIN = Duration.ofSeconds(2);

    private static CompletableFuture<String> check(CompletionStage<?> probe, String what) {
        return probe.toCompletableFuture().handle((ok, err) -> err == null ? Readiness.OK
                : what + " within " + READY_WITHIN.toSeconds() + " s: " + NetkeeperException.of(err).getMessage());
    }

    /** This agent's metrics (Prometheus text), for the local API's /metrics. */
    public AgentMetrics metrics() {
        return metrics;
    }

    public AgentSettings settings() {
        return settings;
    }

    public PathPolicy pathPolicy() {
        return pathPolicy;
    }

    public ActorSystem<?> system() {
        return system;
    }

    private <T> ActorRef<T> spawn(Behavior<T> behavior, String name, Props props, Duration timeout) {
        return await(AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
                replyTo -> new SpawnProtocol.Spawn<>(behavior, name, props, replyTo), timeout, system.scheduler()),
                timeout, "starting " + name);
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage, Duration timeout, String what) {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(what + " failed: " + e, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Leaves the cluster and stops the ActorSystem, waiting for it. */
    @Override
    public void close() {
        if (resolvers != null) {
            resolvers.close();
        }
        if (overlayPeers != null) {
            overlayPeers.close();
        }
        metrics.close();
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the agent did not stop in time", e);
        }
    }
}
