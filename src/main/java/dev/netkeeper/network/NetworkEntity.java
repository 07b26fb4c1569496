package dev.netkeeper.network;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.Request;
import dev.netkeeper.kernel.CrashPoints;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.kernel.TaskSequence;
import dev.netkeeper.network.NetworkCommand.Attach;
import dev.netkeeper.network.NetworkCommand.Claim;
import dev.netkeeper.network.NetworkCommand.Claimed;
import dev.netkeeper.network.NetworkCommand.ConvergeHost;
import dev.netkeeper.network.NetworkCommand.Locate;
import dev.netkeeper.api.Location;
import dev.netkeeper.network.NetworkCommand.Create;
import dev.netkeeper.network.NetworkCommand.Delete;
import dev.netkeeper.network.NetworkCommand.Get;
import dev.netkeeper.network.NetworkCommand.Link;
import dev.netkeeper.network.NetworkCommand.Unclaim;
import dev.netkeeper.network.NetworkCommand.Unlink;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.kernel.NetlinkActor;
import dev.netkeeper.network.NetworkEvent.EndpointAllocated;
import dev.netkeeper.network.NetworkEvent.EndpointPlaced;
import dev.netkeeper.network.NetworkEvent.EndpointReleased;
import dev.netkeeper.network.NetworkEvent.EndpointUnplaced;
import dev.netkeeper.network.NetworkEvent.NetworkCreated;
import dev.netkeeper.network.NetworkEvent.NetworkDeleted;
import dev.netkeeper.network.driver.NetworkDriver;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One network, event sourced. Commands are checked against the state first (a refusal journals
 * nothing and touches no kernel); a change is journaled before the kernel is asked to match it, and a
 * kernel failure is rolled back by journaling the release. On start-up it converges the kernel to its
 * journal without waiting for a client.
 */
public final class NetworkEntity extends EventSourcedBehavior<NetworkCommand, NetworkEvent, NetworkState> {
    public static final EntityTypeKey<NetworkCommand> TYPE_KEY = EntityTypeKey.create(NetworkCommand.class, "Network");
    /** Tag on every event of every network, for the audit stream. */
    public static final String TAG = "network";

    private static final Pattern ENDPOINT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final int CONVERGE_ATTEMPTS = 20;
    /** Attempts (≈ 16 s in all) at a converge its host asked for while this node does not see that host up. */
    private static final int ASKED_UNAVAILABLE_ATTEMPTS = 12;

    private final String name;
    private final ActorContext<NetworkCommand> ctx;
    private final TimerScheduler<NetworkCommand> timers;
    private final NetworkServices services;
    /** Addresses and veth names in use, kept from the events, so that a Link costs the same at any size. */
    private final EndpointIndex index = new EndpointIndex();
    /** The endpoint count, for the metrics' gauge of this network (registered while the entity lives). */
    private final java.util.concurrent.atomic.AtomicInteger endpointCount = new java.util.concurrent.atomic.AtomicInteger();
    private final io.micrometer.core.instrument.Gauge endpointGauge;
    /** Links journaled whose kernel work is in flight, with everyone waiting for them. */
    private final Map<String, List<ActorRef<StatusReply<Interfaces>>>> linking = new HashMap<>();
    /** Links allocated, not yet written: the next {@link WriteLinks} journals them all in one write. */
    private final List<PendingLink> batch = new ArrayList<>();
    /** The state with the batch's links applied (null: no batch), what a Link checks and allocates against. */
    private NetworkState projected;

    private record PendingLink(Link command, EndpointAllocated event, boolean firstOnHost, long queuedAt) {}

    /** A create or delete is in flight: other commands wait in the stash. */
    private boolean busy;
    /** When this incarnation last started to bring each host's kernel in line with the journal (epoch ms). */
    private final Map<String, Long> convergeStartedAt = new HashMap<>();
    /** When the last converge of each host that succeeded had started (epoch ms): what ConvergeHost compares with. */
    private final Map<String, Long> convergedAt = new HashMap<>();
    /** Hosts whose converge (or its retries) is under way: the entity does not passivate before they end. */
    private final Set<String> converging = new HashSet<>();
    /** Who asked to hear when a host's converge ends (the host's wake-up, to settle its firewall). */
    private final Map<String, List<ActorRef<Done>>> convergeWaiters = new HashMap<>();
    /** The shard that runs the entity, told when the entity passivates itself. */
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    static final Duration IDLE = Duration.ofSeconds(10);

    /** Timer: passivate unless the entity has something to keep by now. */
    private record PassivateIfUnused() implements NetworkCommand {}

    // Messages the entity sends itself; never sent by others.
    private record Prepared(Create command, NetworkPlan plan, Reservation reservation, Throwable error)
            implements NetworkCommand {}

    private record SetUpDone(Create command, Throwable error) implements NetworkCommand {}

    private record Attached(String endpoint, Throwable error) implements NetworkCommand {}

    /** Journal the links of the batch. */
    private record WriteLinks() implements NetworkCommand {}

    private record KernelDone(ActorRef<StatusReply<Done>> replyTo, Throwable error, boolean endsBusy)
            implements NetworkCommand {}

    private record Converged(String host, int attempt, Throwable error) implements NetworkCommand {}

    private record ConvergeAgain(String host, int attempt) implements NetworkCommand {}

    /** Every host of the network answered a no-op: the delete may go ahead. */
    private record DeleteChecked(Delete command, Throwable error) implements NetworkCommand {}

    /** An answer whose work is done: sent from the entity, in its order. */
    /** The host's firewall answered a claim of host ports: the command goes again, with the ports taken. */
    private record PortsClaimed(NetworkCommand retry, ActorRef<StatusReply<Interfaces>> replyTo, Throwable error)
            implements NetworkCommand {}

    private record Replied<T>(ActorRef<StatusReply<T>> replyTo, StatusReply<T> reply) implements NetworkCommand {}

    /** The outcome of fire-and-forget kernel work (a rollback's clean-up): nothing to do. */
    private record Ignored() implements NetworkCommand {}

    private NetworkEntity(String name, ActorContext<NetworkCommand> ctx, TimerScheduler<NetworkCommand> timers,
                          NetworkServices services, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(PersistenceId.of(TYPE_KEY.name(), name),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.name = name;
        this.ctx = ctx;
        this.timers = timers;
        this.services = services;
        this.shard = shard;
        EntityMetrics.alive("network", 1);
        this.endpointGauge = EntityMetrics.endpoints(name, endpointCount);
    }

    /**
     * With {@code shard} given, an entity with nothing to keep (never created, or deleted) passivates
     * after {@link #IDLE}, so that remember-entities does not wake it at every start.
     */
    public static Behavior<NetworkCommand> create(String id, NetworkServices services,
                                             ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NetworkEntity(id, ctx, timers, services, shard)));
    }


    @Override
    public NetworkState emptyState() {
        return NetworkState.EMPTY;
    }

    @Override
    public Set<String> tagsFor(NetworkEvent event) {
        return Set.of(TAG);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(services.snapshotEvery(), 2);
    }

    @Override
    public EventHandler<NetworkState, NetworkEvent> eventHandler() {
        // the index follows every event the state does (rebuilt from the state when recovery completes)
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            index.apply(event);
            NetworkState next = state.apply(event);
            endpointCount.set(next.endpoints().size());
            return next;
        });
    }

    @Override
    public SignalHandler<NetworkState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, (state, stop) -> stopped())
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, (state, restart) -> stopped()).build();
    }

    /** This incarnation ends (stopped, passivated or restarted): it no longer counts. */
    private void stopped() {
        EntityMetrics.alive("network", -1);
        EntityMetrics.remove(endpointGauge);
    }

    /**
     * Grouped by state: the outcomes of work the entity started (any state); while it works (a create or delete in
     * flight) every other command waits; while links wait for their write, further links join them and every other
     * change waits for it; then what a name without a network accepts, and what a network accepts.
     */
    @Override
    public CommandHandler<NetworkCommand, NetworkEvent, NetworkState> commandHandler() {
        CommandHandlerBuilder<NetworkCommand, NetworkEvent, NetworkState> handlers = newCommandHandlerBuilder();
        handlers.forAnyState()
                .onCommand(Prepared.class, this::onPrepared)
                .onCommand(SetUpDone.class, this::onSetUpDone)
                .onCommand(Attached.class, this::onAttached)
                .onCommand(KernelDone.class, this::onKernelDone)
                .onCommand(Converged.class, this::onConverged)
                .onCommand(Ignored.class, (state, i) -> Effect().none())
                .onCommand(PortsClaimed.class, this::onPortsClaimed)
                .onCommand(Replied.class, (state, r) -> {
                    r.replyTo().tell(r.reply());
                    return Effect().none();
                })
                .onCommand(ConvergeAgain.class, (state, c) -> {
                    converge(state, c.host(), c.attempt());
                    return Effect().none();
                })
                .onCommand(ConvergeHost.class, this::onConvergeHost)
                .onCommand(Locate.class, (state, l) ->
                        Effect().reply(l.replyTo(), StatusReply.success(new Location(name, services.hostId()))))
                .onCommand(DeleteChecked.class, this::onDeleteChecked)
                .onCommand(PassivateIfUnused.class, this::onPassivateIfUnused)
                .onCommand(WriteLinks.class, this::onWriteLinks);
        handlers.forState(state -> busy)
                .onAnyCommand((state, c) -> Effect().stash());
        handlers.forState(state -> !batch.isEmpty())
                .onCommand(Link.class, this::onLink)
                .onCommand(Get.class, this::onGet)
                .onAnyCommand((state, c) -> Effect().stash());
        handlers.forState(state -> !state.exists())
                .onCommand(Create.class, this::onCreate)
                .onCommand(Delete.class, (state, d) -> Effect().reply(d.replyTo(), state.handled(d.audit().requestId())
                        ? StatusReply.ack() : noSuchNetwork()))
                .onCommand(Unclaim.class, (state, u) -> Effect().none())
                .onCommand(Get.class, (state, g) -> Effect().reply(g.replyTo(), noSuchNetwork()))
                .onCommand(Link.class, (state, l) -> Effect().reply(l.replyTo(), noSuchNetwork()))
                .onCommand(Unlink.class, (state, u) -> Effect().reply(u.replyTo(), noSuchNetwork()))
                .onCommand(NetworkCommand.Publish.class, (state, p) -> Effect().reply(p.replyTo(), noSuchNetwork()))
                .onCommand(NetworkCommand.Unpublish.class, (state, u) -> Effect().reply(u.replyTo(), noSuchNetwork()))
                .onCommand(Claim.class, (state, c) -> Effect().reply(c.replyTo(), noSuchNetwork()))
                .onCommand(Attach.class, (state, a) -> Effect().reply(a.replyTo(), noSuchNetwork()));
        handlers.forState(NetworkState::exists)
                .onCommand(Create.class, this::onCreate)
                .onCommand(Get.class, this::onGet)
                .onCommand(Link.class, this::onLink)
                .onCommand(Unlink.class, this::onUnlink)
                .onCommand(NetworkCommand.Publish.class, this::onPublish)
                .onCommand(NetworkCommand.Unpublish.class, this::onUnpublish)
                .onCommand(Delete.class, this::onDelete)
                .onCommand(Claim.class, this::onClaim)
                .onCommand(Attach.class, this::onAttach)
                .onCommand(Unclaim.class, this::onUnclaim);
        return handlers.build();
    }

    private Effect<NetworkEvent, NetworkState> onGet(NetworkState state, Get g) {
        return Effect().reply(g.replyTo(), StatusReply.success(state.info(g.endpointsAfter(),
                Request.pageSize(g.endpointsLimit()))));
    }

    private Effect<NetworkEvent, NetworkState> onPassivateIfUnused(NetworkState state, PassivateIfUnused p) {
        if (!converging.isEmpty()) {
            timers.startSingleTimer(new PassivateIfUnused(), IDLE); // not before the kernel matches
        } else if (!state.exists() && !busy && shard != null) {
            shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        }
        return Effect().none();
    }

    // ---- create ------------------------------------------------------------------------------------

    private Effect<NetworkEvent, NetworkState> onCreate(NetworkState state, Create c) {
        if (state.exists()) {
            return Effect().reply(c.replyTo(), state.handled(c.audit().requestId())
                    ? StatusReply.success(state.info(null, Request.PAGE))
                    : Replies.error(ErrorCode.NETWORK_EXISTS, "network " + name + " exists already"));
        }
        NetworkPlan plan;
        try {
            NetworkDriver driver = services.drivers().find(c.type());
            plan = NetworkPlan.validate(name, driver, c.options());
        } catch (NetkeeperException e) {
            return Effect().reply(c.replyTo(), Replies.error(e));
        }
        busy = true;
        Create command = c.onHost(services.hostId());
        // the host's routes and addresses: a carved subnet avoids them, an explicit one must not collide; a network
        // across hosts needs the host's underlay, whose MTU bounds its own
        NetworkPlan[] planned = {plan};
        CompletionStage<List<String>> routes = plan.driver().assignsAddresses()
                ? AskPattern.<KernelRouter.Command, StatusReply<NetlinkActor.HostRoutes>>ask(services.kernels(),
                        replyTo -> new KernelRouter.OnHost(command.host(), new NetlinkActor.ListHostRoutes(replyTo)),
                        services.askTimeout(), ctx.getSystem().scheduler())
                .thenApply(r -> {
                    if (r.isError()) {
                        throw Replies.typed(r.getError());
                    }
                    NetlinkActor.HostRoutes host = r.getValue();
                    HostOverlap.check(name, c.options().subnet(), c.options().hostRouteOverlap(), host);
                    HostOverlap.check(name, c.options().subnetIPv6(), c.options().hostRouteOverlap(), host);
                    if (plan.driver().spansHosts()) {
                        planned[0] = plan.overUnderlay(overlayMtu(host.underlay(), command.host()), command.host());
                    }
                    return host.destinations();
                })
                : CompletableFuture.completedFuture(List.of());
        // the names it would take on its first host are free (nothing of another owner is adopted)
        List<KernelTask> checks = plan.driver().checkNames(name, plan.driverOptions());
        CompletionStage<List<String>> checked = checks.isEmpty() ? routes : routes.thenCompose(avoid ->
                KernelRouter.run(services.kernels(), command.host(), checks, services.askTimeout(),
                        ctx.getSystem().scheduler()).thenApply(done -> avoid));
        CompletionStage<Reservation> reserved = checked.thenCompose(avoid -> AskPattern.askWithStatus(
                services.directory(), replyTo -> new NetworkDirectory.Reserve(name, c.options().subnet(),
                        c.options().subnetIPv6(), plan.driver().assignsAddresses(), avoid, c.options().runtimeManaged(),
                        plan.driver().spansHosts(), c.audit().journaledNow(), replyTo),
                services.askTimeout(), ctx.getSystem().scheduler()));
        ctx.pipeToSelf(reserved, (res, err) -> new Prepared(command, planned[0], res, err));
        return Effect().none();
    }

    /** The MTU a network across hosts can have over {@code host}'s underlay; NO_UNDERLAY when it has none. */
    private static int overlayMtu(dev.netkeeper.kernel.Underlay underlay, String host) {
        if (underlay == null) {
            throw new NetkeeperException(ErrorCode.NO_UNDERLAY, "an overlay network needs an underlay address on host "
                    + host + ", which has none: set netkeeper.overlay.underlay-address (NETKEEPER_UNDERLAY_ADDRESS) to"
                    + " the address of that host the other hosts reach");
        }
        if (!underlay.present()) {
            throw new NetkeeperException(ErrorCode.NO_UNDERLAY, "the underlay address " + underlay.address()
                    + " of host " + host + " is on none of its links");
        }
        return underlay.overlayMtu();
    }

    private Effect<NetworkEvent, NetworkState> onPrepared(NetworkState state, Prepared p) {
        if (p.error() != null) {
            busy = false;
            return Effect().reply(p.command().replyTo(), Replies.error(Replies.typed(p.error())))
                    .thenUnstashAll();
        }
        NetworkConfig config = p.plan().config(p.reservation());
        String host = p.command().host();
        return Effect().persist(new NetworkCreated(config, host, p.command().audit().journaledNow())).thenRun(s -> {
            CrashPoints.reach("create.after-journal");
            kernel(host, p.plan().driver().setUp(config), err -> new SetUpDone(p.command(), err));
        });
    }

    private Effect<NetworkEvent, NetworkState> onSetUpDone(NetworkState state, SetUpDone d) {
        busy = false;
        if (d.error() == null) {
            return Effect().reply(d.command().replyTo(), StatusReply.success(state.info(null, Request.PAGE)))
                    .thenUnstashAll();
        }
        NetkeeperException failure = Replies.typed(d.error());
        NetworkConfig config = state.config();
        return Effect().persist(new NetworkDeleted(Audit.agent("rollback of create: " + failure.getMessage())))
                .thenRun(s -> {
                    kernel(state.home(), driver(config).tearDown(config, List.of()),
                            err -> err == null ? null : new Converged(state.home(), 1, err));
                    services.directory().tell(new NetworkDirectory.Release(name, Audit.agent("rollback"),
                            ctx.getSystem().ignoreRef()));
                })
                .thenReply(d.command().replyTo(), s -> Replies.error(failure))
                .thenUnstashAll();
    }

    // ---- link / unlink -----------------------------------------------------------------------------

    private Effect<NetworkEvent, NetworkState> onLink(NetworkState journaled, Link l) {
        // links waiting for the next write count as linked: a retry joins its waiters, an allocation avoids them
        NetworkState state = projected != null ? projected : journaled;
        // null: no lookup (the endpoint map may be an immutable Map.of(), whose get(null) throws); refused below
        Endpoint existing = l.endpoint() == null ? null : state.endpoints().get(l.endpoint());
        String host = l.targetHost(services.hostId());
        if (existing != null && l.namesHost() && state.hostOf(existing) != null
                && !host.equals(state.hostOf(existing))) {
            return Effect().reply(l.replyTo(), Replies.error(ErrorCode.WRONG_HOST, "endpoint " + l.endpoint()
                    + " of network " + name + " is linked on host " + state.hostOf(existing) + ", not on " + host));
        }
        if (existing != null && l.into() != null && !l.into().namespace().equals(existing.namespace())) {
            return Effect().reply(l.replyTo(), Replies.error(ErrorCode.INTERFACE_IN_USE, "endpoint " + l.endpoint()
                    + " of network " + name + " is linked already, its interface " + (existing.namespace() == null
                    ? "in the host (add it with addInterface)" : "in namespace " + existing.namespace())));
        }
        if (existing != null) {
            List<ActorRef<StatusReply<Interfaces>>> waiting = linking.get(l.endpoint());
            if (waiting != null) {
                waiting.add(l.replyTo());
                return Effect().none();
            }
            if (l.into() != null && existing.bornInNamespace()) {
                return relink(state, existing, l);
            }
            return Effect().reply(l.replyTo(), StatusReply.success(interfaces(state, existing)));
        }
        if (l.into() != null && !driver(state.config()).createsInterfaces()) {
            return Effect().reply(l.replyTo(), Replies.error(ErrorCode.UNKNOWN_INTERFACE, "endpoints of "
                    + state.config().driver() + " network " + name + " have no interface to place in a namespace"));
        }
        if (l.endpoint() == null || !ENDPOINT_NAME.matcher(l.endpoint()).matches()) {
            return Effect().reply(l.replyTo(), Replies.error(ErrorCode.INVALID_NAME, "endpoint name '" + l.endpoint()
                    + "' must be 1-128 letters, digits, '_', '.', ':' or '-', starting with a letter or digit"));
        }
        for (String alias : l.aliases()) {
            if (!dev.netkeeper.api.HostNames.valid(alias)) {
                return Effect().reply(l.replyTo(), Replies.error(ErrorCode.INVALID_NAME, "alias '" + alias + "' of endpoint "
                        + l.endpoint() + " is no host name: labels of letters, digits and inner '-', separated by '.'"));
            }
        }
        if (!l.publish().isEmpty() && !l.claimed()) {
            return claimPorts(state, l, l.endpoint(), host, l.publish(), l.replyTo(),
                    ports -> l.publishing(ports, true));
        }
        Endpoint allocated;
        try {
            Quotas.check(state.endpoints().size(), services.quotas().endpointsPerNetwork(),
                    "endpoint " + l.endpoint() + " would be one too many on network " + name);
            allocated = allocate(state, l.endpoint(), host, l.wanted());
        } catch (NetkeeperException e) {
            return Effect().reply(l.replyTo(), Replies.error(e));
        }
        Endpoint linked = l.into() == null ? allocated : allocated.linkedInto(l.into().namespace(), l.into().dstName());
        Endpoint ported = l.claimed() ? linked.withPorts(l.publish()) : linked;
        Endpoint endpoint = l.aliases().isEmpty() ? ported : ported.withAliases(l.aliases());
        EndpointAllocated event = new EndpointAllocated(endpoint, l.audit().journaledNow());
        boolean firstOnHost = !host.equals(state.home()) && state.endpointsOn(host).isEmpty();
        index.apply(event); // taken from now on (the handler applies it again when it is written: the same entries)
        projected = state.apply(event);
        linking.computeIfAbsent(endpoint.name(), k -> new ArrayList<>()).add(l.replyTo());
        batch.add(new PendingLink(l, event, firstOnHost, System.nanoTime()));
        if (batch.size() == 1) {
            // after the links already waiting in the mailbox or the stash (a write in flight held them): one write for all
            ctx.getSelf().tell(new WriteLinks());
        }
        return Effect().none();
    }

    /**
     * A one-step link again (a retry, or the namespace asking after a crash cut its own write): answered once its
     * interface is in place, made again if a crash cut the kernel work, under the name the journal gave it.
     */
    private Effect<NetworkEvent, NetworkState> relink(NetworkState state, Endpoint existing, Link l) {
        Placement asJournaled = new Placement(l.into().namespace(), existing.dstName(), l.into().identity(),
                l.into().defaultRoute(), l.into().defaultRouteIPv6());
        return placeIn(state, existing, asJournaled, l.replyTo(), interfaces(state, existing));
    }

    /**
     * The endpoint's interface in its namespace as {@code placement} says (made there, born in place, if the host lost
     * it; the network's bridge first when the endpoint is its only one on a host that is not its first), then
     * {@code answer} to {@code replyTo}: what a retried one-step link and a converging namespace both ask for.
     */
    private <T> Effect<NetworkEvent, NetworkState> placeIn(NetworkState state, Endpoint endpoint, Placement placement,
                                                           ActorRef<StatusReply<T>> replyTo, T answer) {
        NetworkConfig config = state.config();
        String host = state.hostOf(endpoint);
        List<KernelTask> tasks = new ArrayList<>();
        if (!java.util.Objects.equals(host, state.home()) && state.endpointsOn(host).size() == 1) {
            tasks.addAll(driver(config).setUp(config));
        }
        tasks.addAll(driver(config).placeInto(config, endpoint, placement));
        ctx.pipeToSelf(KernelRouter.run(services.kernels(), host, tasks, services.askTimeout(), ctx.getSystem().scheduler()),
                (ok, err) -> new Replied<>(replyTo, err == null ? StatusReply.success(answer)
                        : Replies.error(Replies.typed(err))));
        return Effect().none();
    }

    /** The links allocated since the last write, journaled in one write; then each one's kernel work. */
    private Effect<NetworkEvent, NetworkState> onWriteLinks(NetworkState state, WriteLinks w) {
        List<PendingLink> written = List.copyOf(batch);
        batch.clear();
        projected = null;
        if (written.isEmpty()) {
            return Effect().none();
        }
        List<NetworkEvent> events = written.stream().<NetworkEvent>map(PendingLink::event).toList();
        EntityMetrics.linksPerWrite(written.size());
        return Effect().persist(events).thenRun(s -> {
            for (PendingLink p : written) {
                EntityMetrics.journalWrite("EndpointAllocated", p.queuedAt());
                attach(s, p);
            }
        }).thenUnstashAll();
    }

    /** The kernel work of a journaled link; it answers once the interface is made and the directory knows its owner. */
    private void attach(NetworkState state, PendingLink p) {
        Endpoint endpoint = p.event().endpoint();
        Link l = p.command();
        NetworkConfig config = state.config();
        // the link answers once a namespace on any node can find the interface's owner, too
        CompletableFuture<?> registered = register(endpoint);
        CrashPoints.reach("link.after-journal");
        List<KernelTask> tasks = new ArrayList<>();
        if (p.firstOnHost()) {
            tasks.addAll(driver(config).setUp(config)); // the network's first endpoint on this host
        }
        tasks.addAll(l.into() == null ? driver(config).attach(config, endpoint)
                : driver(config).placeInto(config, endpoint, l.into()));
        List<CompletableFuture<?>> steps = kernelRuns(Collections.singletonMap(endpoint.host(), tasks));
        steps.add(registered);
        whenAll(steps, err -> new Attached(endpoint.name(), err));
    }

    /** The kernel work that removes {@code endpoint}, {@code after} being the state without it. */
    private List<KernelTask> detach(NetworkConfig config, Endpoint endpoint, NetworkState after) {
        List<KernelTask> tasks = new ArrayList<>(driver(config).detach(config, endpoint));
        tasks.addAll(driver(config).afterDetach(config, endpoint, after.endpointsOn(after.hostOf(endpoint))));
        return tasks;
    }

    private Endpoint allocate(NetworkState state, String endpointName, String host, WantedAddresses wanted) {
        return Allocation.endpoint(state, index, driver(state.config()), endpointName, host, wanted);
    }

    private Effect<NetworkEvent, NetworkState> onAttached(NetworkState state, Attached a) {
        List<ActorRef<StatusReply<Interfaces>>> waiting = linking.remove(a.endpoint());
        List<ActorRef<StatusReply<Interfaces>>> waiters = waiting == null ? List.of() : waiting;
        Endpoint endpoint = state.endpoints().get(a.endpoint());
        if (a.error() == null) {
            CrashPoints.reach("link.after-kernel");
            StatusReply<Interfaces> ok = StatusReply.success(interfaces(state, endpoint));
            waiters.forEach(w -> w.tell(ok));
            return Effect().none().thenUnstashAll();
        }
        NetkeeperException failure = Replies.typed(a.error());
        NetworkConfig config = state.config();
        return Effect().persist(new EndpointReleased(a.endpoint(), "rollback: " + failure.getMessage(),
                        Audit.agent("rollback of link")))
                .thenRun(s -> {
                    unregister(endpoint);
                    kernel(state.hostOf(endpoint), detach(config, endpoint, s),
                            err -> err == null ? null : new Converged(state.hostOf(endpoint), 1, err));
                    waiters.forEach(w -> w.tell(Replies.error(failure)));
                })
                .thenUnstashAll();
    }

    private Effect<NetworkEvent, NetworkState> onUnlink(NetworkState state, Unlink u) {
        Endpoint endpoint = u.endpoint() == null ? null : state.endpoints().get(u.endpoint());
        if (endpoint == null) {
            return Effect().reply(u.replyTo(), state.handled(u.audit().requestId()) ? StatusReply.ack()
                    : Replies.error(ErrorCode.NO_SUCH_ENDPOINT, "network " + name + " has no endpoint "
                    + u.endpoint()));
        }
        if (linking.containsKey(u.endpoint())) {
            return Effect().stash();
        }
        NetworkConfig config = state.config();
        return Effect().persist(new EndpointReleased(u.endpoint(), "unlink", u.audit().journaledNow())).thenRun(s -> {
            CrashPoints.reach("unlink.after-journal");
            unregister(endpoint);
            if (endpoint.namespace() != null) {
                services.placements().endpointRemoved(endpoint.namespace(), name, endpoint.name(), u.audit().journaledNow());
            }
            kernel(state.hostOf(endpoint), detach(config, endpoint, s),
                    err -> new KernelDone(u.replyTo(), err, false));
        });
    }

    // ---- published ports ---------------------------------------------------------------------------

    /**
     * Takes the host ports on the endpoint's host before anything is journaled (a port published elsewhere or bound
     * by a process there is refused PORT_IN_USE); the command comes back with them resolved.
     */
    private Effect<NetworkEvent, NetworkState> claimPorts(NetworkState state, NetworkCommand command, String endpoint,
                                                          String host, List<PortMapping> wanted,
                                                          ActorRef<StatusReply<Interfaces>> replyTo,
                                                          Function<List<PortMapping>, NetworkCommand> retry) {
        if (!driver(state.config()).publishes(state.config())) {
            return Effect().reply(replyTo, Replies.error(ErrorCode.NOT_SUPPORTED, "network " + name
                    + (state.config().internal() ? " is internal: nothing of it is reachable from the host's ports"
                    : " (driver " + state.config().driver() + ") cannot publish ports")));
        }
        CompletionStage<NetlinkActor.ClaimedPorts> claimed = AskPattern.askWithStatus(services.kernels(),
                replyTo2 -> new KernelRouter.OnHost(host, new NetlinkActor.ClaimPorts(name, endpoint, wanted, replyTo2)),
                services.askTimeout(), ctx.getSystem().scheduler());
        ctx.pipeToSelf(claimed, (ok, err) -> ok == null
                ? new PortsClaimed(null, replyTo, err) : new PortsClaimed(retry.apply(ok.ports()), replyTo, null));
        return Effect().none();
    }

    private Effect<NetworkEvent, NetworkState> onPortsClaimed(NetworkState state, PortsClaimed c) {
        if (c.error() != null) {
            return Effect().reply(c.replyTo(), Replies.error(Replies.typed(c.error())));
        }
        ctx.getSelf().tell(c.retry());
        return Effect().none();
    }

    private Effect<NetworkEvent, NetworkState> onPublish(NetworkState state, NetworkCommand.Publish p) {
        Endpoint endpoint = p.endpoint() == null ? null : state.endpoints().get(p.endpoint());
        if (endpoint == null) {
            return Effect().reply(p.replyTo(), Replies.error(ErrorCode.NO_SUCH_ENDPOINT, "network " + name
                    + " has no endpoint " + p.endpoint()));
        }
        if (linking.containsKey(p.endpoint())) {
            return Effect().stash();
        }
        List<PortMapping> fresh = new ArrayList<>();
        for (PortMapping m : p.ports()) {
            if (endpoint.ports().contains(m)) {
                continue; // published already, exactly so: a retry
            }
            for (PortMapping own : endpoint.ports()) {
                if (own.protocol().equals(m.protocol()) && own.hostPort() == m.hostPort()
                        && (own.hostIp() == null || m.hostIp() == null || own.hostIp().equals(m.hostIp()))) {
                    return Effect().reply(p.replyTo(), Replies.error(ErrorCode.PORT_IN_USE, "host port "
                            + m.hostPort() + "/" + m.protocol() + " is published already to endpoint " + endpoint.name()
                            + " of network " + name + " (as " + own + ")"));
                }
            }
            fresh.add(m);
        }
        if (fresh.isEmpty()) {
            return Effect().reply(p.replyTo(), StatusReply.success(interfaces(state, endpoint)));
        }
        String host = state.hostOf(endpoint);
        if (!p.claimed()) {
            return claimPorts(state, p, endpoint.name(), host, fresh, p.replyTo(),
                    ports -> new NetworkCommand.Publish(p.endpoint(), ports, true, p.audit(), p.replyTo()));
        }
        return changePorts(state, new NetworkEvent.PortsPublished(endpoint.name(), fresh, p.audit().journaledNow()),
                host, p.replyTo());
    }

    private Effect<NetworkEvent, NetworkState> onUnpublish(NetworkState state, NetworkCommand.Unpublish u) {
        Endpoint endpoint = u.endpoint() == null ? null : state.endpoints().get(u.endpoint());
        if (endpoint == null) {
            return Effect().reply(u.replyTo(), Replies.error(ErrorCode.NO_SUCH_ENDPOINT, "network " + name
                    + " has no endpoint " + u.endpoint()));
        }
        if (linking.containsKey(u.endpoint())) {
            return Effect().stash();
        }
        List<PortMapping> gone = new ArrayList<>();
        for (PortMapping m : u.ports()) {
            endpoint.ports().stream().filter(own -> own.protocol().equals(m.protocol())
                            && (m.hostPort() == 0 ? own.containerPort() == m.containerPort() : own.hostPort() == m.hostPort())
                            && (m.hostIp() == null || m.hostIp().equals(own.hostIp())))
                    .filter(own -> !gone.contains(own)).forEach(gone::add);
        }
        if (gone.isEmpty()) {
            return Effect().reply(u.replyTo(), StatusReply.success(interfaces(state, endpoint))); // none (any more): done
        }
        return changePorts(state, new NetworkEvent.PortsUnpublished(endpoint.name(), gone, u.audit().journaledNow()),
                state.hostOf(endpoint), u.replyTo());
    }

    /** Journals the change, then makes the host forward exactly the endpoint's ports, then answers. */
    private Effect<NetworkEvent, NetworkState> changePorts(NetworkState state, NetworkEvent change, String host,
                                                           ActorRef<StatusReply<Interfaces>> replyTo) {
        NetworkConfig config = state.config();
        return Effect().persist(change).thenRun(s -> {
            CrashPoints.reach("publish.after-journal");
            Endpoint now = s.endpoints().get(change instanceof NetworkEvent.PortsPublished p ? p.endpoint()
                    : ((NetworkEvent.PortsUnpublished) change).endpoint());
            Interfaces answer = interfaces(s, now);
            whenAll(List.of(KernelRouter.run(services.kernels(), host, driver(config).publish(config, now),
                    services.askTimeout(), ctx.getSystem().scheduler())), err -> {
                if (err != null) {
                    ctx.getSelf().tell(new ConvergeAgain(host, 1)); // journaled: converge brings the host in line
                }
                return new Replied<>(replyTo, err == null ? StatusReply.success(answer)
                        : Replies.error(Replies.typed(err)));
            });
        });
    }

    // ---- namespaces --------------------------------------------------------------------------------

    private Effect<NetworkEvent, NetworkState> onClaim(NetworkState state, Claim c) {
        Endpoint endpoint = state.endpoints().get(c.endpoint());
        if (endpoint == null) {
            return Effect().reply(c.replyTo(), Replies.error(ErrorCode.NO_SUCH_ENDPOINT, "network " + name
                    + " has no endpoint " + c.endpoint()));
        }
        if (linking.containsKey(c.endpoint())) {
            return Effect().stash();
        }
        if (endpoint.srcName() == null) {
            return Effect().reply(c.replyTo(), Replies.error(ErrorCode.UNKNOWN_INTERFACE, "endpoint " + c.endpoint()
                    + " of " + state.config().driver() + " network " + name + " has no interface"));
        }
        String nsHost = NamespaceId.parse(c.namespace()).host();
        String ifaceHost = state.hostOf(endpoint);
        if (ifaceHost != null && !ifaceHost.equals(nsHost)) {
            return Effect().reply(c.replyTo(), Replies.error(ErrorCode.WRONG_HOST, "interface " + endpoint.srcName()
                    + " of endpoint " + endpoint.name() + " lives on host " + ifaceHost + "; namespace "
                    + c.namespace() + " is on host " + nsHost + " (link it with host " + nsHost + ")"));
        }
        Claimed claimed = new Claimed(name, endpoint.name(), state.config().interfaceOf(endpoint),
                state.config().internal());
        if (c.namespace().equals(endpoint.namespace())) {
            return Effect().reply(c.replyTo(), StatusReply.success(claimed));
        }
        if (endpoint.namespace() != null) {
            return Effect().reply(c.replyTo(), Replies.error(ErrorCode.INTERFACE_IN_USE, "interface "
                    + endpoint.srcName() + " of endpoint " + endpoint.name() + " is already in namespace "
                    + endpoint.namespace()));
        }
        return Effect().persist(new EndpointPlaced(c.endpoint(), c.namespace(), c.audit().journaledNow()))
                .thenReply(c.replyTo(), s -> StatusReply.success(claimed));
    }

    /**
     * The namespace no longer holds the interface. Deleted with it, an interface born there died with it: its endpoint
     * is released. Otherwise the endpoint stays, its interface in the host (made there again if it is gone).
     */
    private Effect<NetworkEvent, NetworkState> onUnclaim(NetworkState state, Unclaim u) {
        Endpoint endpoint = state.endpoints().get(u.endpoint());
        if (endpoint == null || !u.namespace().equals(endpoint.namespace())) {
            return Effect().none();
        }
        if (linking.containsKey(u.endpoint())) {
            return Effect().stash();
        }
        NetworkConfig config = state.config();
        if (u.namespaceGone() && endpoint.bornInNamespace()) {
            return Effect().persist(new EndpointReleased(u.endpoint(), "namespace " + u.namespace() + " deleted",
                    u.audit().journaledNow())).thenRun(s -> {
                unregister(endpoint);
                kernel(state.hostOf(endpoint), detach(config, endpoint, s),
                        err -> err == null ? null : new Converged(state.hostOf(endpoint), 1, err));
            });
        }
        return Effect().persist(new EndpointUnplaced(u.endpoint(), u.namespace(), u.audit().journaledNow()))
                .thenRun(s -> kernel(state.hostOf(endpoint), driver(config).attach(config, endpoint.withNamespace(null)),
                        err -> err == null ? null : new Converged(state.hostOf(endpoint), 1, err)));
    }

    /** From the namespace that holds the interface, converging: the interface there as it asks, made again if lost. */
    private Effect<NetworkEvent, NetworkState> onAttach(NetworkState state, Attach a) {
        Endpoint endpoint = state.endpoints().get(a.endpoint());
        if (endpoint == null) {
            return Effect().reply(a.replyTo(), Replies.error(ErrorCode.NO_SUCH_ENDPOINT, "network " + name
                    + " has no endpoint " + a.endpoint()));
        }
        if (linking.containsKey(a.endpoint())) {
            return Effect().stash();
        }
        if (!a.placement().namespace().equals(endpoint.namespace())) {
            return Effect().reply(a.replyTo(), Replies.error(ErrorCode.INTERFACE_IN_USE, "the interface of endpoint "
                    + a.endpoint() + " is not placed in " + a.placement().namespace() + " by the journal of " + name));
        }
        return placeIn(state, endpoint, a.placement(), a.replyTo(), Done.getInstance());
    }

    // ---- delete ------------------------------------------------------------------------------------

    private Effect<NetworkEvent, NetworkState> onDelete(NetworkState state, Delete d) {
        if (!state.endpoints().isEmpty() && !d.force()) {
            return Effect().reply(d.replyTo(), Replies.error(ErrorCode.NETWORK_IN_USE, "network " + name + " has "
                    + state.endpoints().size() + " endpoint(s): " + String.join(", ", state.endpoints().keySet())
                    + "; unlink them or delete with force"));
        }
        if (!linking.isEmpty()) {
            return Effect().stash();
        }
        // Every host must be there to remove its bridge: a host that is away refuses the delete up front
        // rather than leaving its bridge behind.
        busy = true;
        Map<String, List<KernelTask>> noop = new HashMap<>();
        state.kernelHosts().forEach(h -> noop.put(h, List.of(new TaskSequence(List.of()))));
        kernelOnHosts(noop, err -> new DeleteChecked(d, err));
        return Effect().none();
    }

    private Effect<NetworkEvent, NetworkState> onDeleteChecked(NetworkState state, DeleteChecked c) {
        Delete d = c.command();
        if (c.error() != null) {
            busy = false;
            return Effect().reply(d.replyTo(), Replies.error(Replies.typed(c.error()))).thenUnstashAll();
        }
        NetworkConfig config = state.config();
        List<Endpoint> endpoints = List.copyOf(state.endpoints().values());
        Map<String, List<KernelTask>> tearDown = new HashMap<>();
        state.kernelHosts().forEach(h -> tearDown.put(h, driver(config).tearDown(config, state.endpointsOn(h))));
        // journaled first: whatever of the tear-down a crash cuts, the recovery of the deleted state finishes
        return Effect().persist(new NetworkDeleted(d.audit().journaledNow())).thenRun(s -> {
            CrashPoints.reach("network-delete.after-journal");
            for (Endpoint e : endpoints) {
                unregister(e);
                if (e.namespace() != null) {
                    services.placements().endpointRemoved(e.namespace(), name, e.name(), d.audit().journaledNow());
                }
            }
            services.directory().tell(new NetworkDirectory.Release(name, d.audit().journaledNow(),
                    ctx.getSystem().ignoreRef()));
            kernelOnHosts(tearDown, err -> new KernelDone(d.replyTo(), err, true));
        });
    }

    private Effect<NetworkEvent, NetworkState> onKernelDone(NetworkState state, KernelDone k) {
        if (k.error() != null) {
            // journaled already: converge brings every host's kernel in line with it, retrying as it must
            state.kernelHosts().forEach(h -> converge(state, h, 1));
        } else if (!state.exists()) {
            timers.startSingleTimer(new PassivateIfUnused(), IDLE); // deleted: nothing left to keep
        }
        if (k.endsBusy()) {
            busy = false;
        }
        StatusReply<Done> reply = k.error() == null ? StatusReply.ack() : Replies.error(Replies.typed(k.error()));
        return Effect().reply(k.replyTo(), reply).thenUnstashAll();
    }

    // ---- recovery ----------------------------------------------------------------------------------

    private void onRecovered(NetworkState state) {
        index.rebuild(state);
        if (!state.exists()) {
            if (state.removedConfig() != null) {
                state.kernelHosts().forEach(h -> converge(state, h, 1)); // a delete a crash may have cut
            }
            timers.startSingleTimer(new PassivateIfUnused(), IDLE);
            return;
        }
        services.endpoints().tell(new EndpointDirectory.RegisterAll(state.endpoints().values().stream()
                .filter(e -> e.srcName() != null)
                .map(e -> new EndpointDirectory.Register(e.srcName(), name, e.name())).toList()));
        for (Endpoint e : state.endpoints().values()) {
            if (e.namespace() != null) {
                // one born there is the namespace's even when a crash cut the namespace's own journal write
                services.placements().verifyPlacement(e.namespace(), name, e.name(),
                        e.bornInNamespace() ? state.config().interfaceOf(e) : null);
            }
        }
        state.kernelHosts().forEach(h -> converge(state, h, 1));
    }

    /**
     * Brings {@code host}'s kernel in line with the journal: the bridge and exactly the endpoints there; for a
     * deleted network, nothing of it left.
     */
    private void converge(NetworkState state, String host, int attempt) {
        List<KernelTask> tasks;
        if (state.exists()) {
            tasks = driver(state.config()).converge(state.config(), state.endpointsOn(host));
        } else if (state.removedConfig() != null) {
            tasks = driver(state.removedConfig()).tearDown(state.removedConfig(), List.of());
        } else {
            return;
        }
        convergeStartedAt.put(String.valueOf(host), System.currentTimeMillis());
        converging.add(String.valueOf(host));
        kernel(host, tasks, err -> new Converged(host, attempt, err));
    }

    private Effect<NetworkEvent, NetworkState> onConvergeHost(NetworkState state, ConvergeHost c) {
        if (!state.exists() && state.removedConfig() == null) {
            timers.startSingleTimer(new PassivateIfUnused(), IDLE);
        } else if (state.kernelHosts().contains(c.host()) && convergedAt.getOrDefault(c.host(), 0L) < c.since()) {
            // not since that host's agent started: it may have come back with a kernel that drifted
            if (!converging.contains(c.host())) {
                converge(state, c.host(), 1);
            }
            if (c.replyTo() != null) {
                convergeWaiters.computeIfAbsent(c.host(), h -> new ArrayList<>()).add(c.replyTo());
            }
            return Effect().none();
        }
        if (c.replyTo() != null) {
            c.replyTo().tell(Done.getInstance());
        }
        return Effect().none();
    }

    /** Tells whoever waits for this host's converge that it has ended (done, given up, or the host gone). */
    private void convergeEnded(String host) {
        List<ActorRef<Done>> waiting = convergeWaiters.remove(host);
        if (waiting != null) {
            waiting.forEach(w -> w.tell(Done.getInstance()));
        }
    }

    private Effect<NetworkEvent, NetworkState> onConverged(NetworkState state, Converged c) {
        String where = c.host() == null ? "" : " on " + c.host();
        boolean unavailable = c.error() != null && Replies.typed(c.error()).code() == ErrorCode.HOST_UNAVAILABLE;
        // a host's agent that asks for its converge (ConvergeHost, once it is Up) is up, though this node may not have
        // seen it so yet (membership gossip lags by a round or two): tried again for a while, not given up at once
        if (unavailable && convergeWaiters.containsKey(String.valueOf(c.host())) && c.attempt() < ASKED_UNAVAILABLE_ATTEMPTS) {
            ctx.getLog().info("network {} not converged{} yet (attempt {}): {}", name, where, c.attempt(),
                    c.error().getMessage());
            timers.startSingleTimer(new ConvergeAgain(c.host(), c.attempt() + 1), Duration.ofMillis(250L * c.attempt()));
            return Effect().none();
        }
        if (c.error() == null || c.attempt() >= CONVERGE_ATTEMPTS || unavailable) {
            converging.remove(String.valueOf(c.host()));
            convergeEnded(String.valueOf(c.host()));
        }
        if (c.error() == null) {
            convergedAt.put(String.valueOf(c.host()), convergeStartedAt.getOrDefault(String.valueOf(c.host()), 0L));
            io.micrometer.core.instrument.Metrics.timer("netkeeper.converge", "entity", "network").record(
                    Duration.ofMillis(System.currentTimeMillis() - convergeStartedAt.getOrDefault(String.valueOf(c.host()),
                            System.currentTimeMillis())));
            ctx.getLog().info("network {} converged{}: {} endpoint(s)", name, where, state.endpointsOn(c.host()).size());
        } else if (Replies.typed(c.error()).code() == ErrorCode.HOST_UNAVAILABLE) {
            // the host's agent converges it again when it is back (ConvergeHost): only a converge that succeeded
            // counts as one since that agent started, however late this one was tried
            ctx.getLog().info("network {} not converged{}: {}", name, where, c.error().getMessage());
        } else if (c.attempt() < CONVERGE_ATTEMPTS) {
            ctx.getLog().warn("network {} did not converge{} (attempt {}): {}", name, where, c.attempt(),
                    c.error().getMessage());
            timers.startSingleTimer(new ConvergeAgain(c.host(), c.attempt() + 1), Duration.ofMillis(250L * c.attempt()));
        } else {
            ctx.getLog().error("network {} gave up converging{}: {}", name, where, c.error().getMessage());
        }
        return Effect().none();
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /**
     * Sends the tasks to {@code host}'s netlink actor (null: this agent's); {@code onDone} maps the
     * outcome (null error = success).
     */
    private void kernel(String host, List<KernelTask> tasks,
                        Function<Throwable, NetworkCommand> onDone) {
        kernelOnHosts(Collections.singletonMap(host, tasks), onDone);
    }

    /** Runs each host's tasks on that host, all hosts at once; {@code onDone} gets the first failure. */
    private void kernelOnHosts(Map<String, List<KernelTask>> byHost,
                               Function<Throwable, NetworkCommand> onDone) {
        whenAll(kernelRuns(byHost), onDone);
    }

    /** Starts each host's tasks on that host. */
    private List<CompletableFuture<?>> kernelRuns(Map<String, List<KernelTask>> byHost) {
        List<CompletableFuture<?>> runs = new ArrayList<>();
        byHost.forEach((host, tasks) -> runs.add(KernelRouter.run(services.kernels(), host, tasks,
                services.askTimeout(), ctx.getSystem().scheduler())));
        return runs;
    }

    /** {@code onDone} (null error = success; else the first failure) once every step has ended. */
    private void whenAll(List<CompletableFuture<?>> steps,
                         Function<Throwable, NetworkCommand> onDone) {
        CompletionStage<Void> all = CompletableFuture.allOf(
                steps.toArray(new CompletableFuture[0]));
        ctx.pipeToSelf(all, (ok, err) -> {
            Throwable first = err instanceof CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            NetworkCommand msg = onDone.apply(first);
            return msg != null ? msg : new Ignored();
        });
    }

    private Interfaces interfaces(NetworkState state, Endpoint e) {
        return new Interfaces(state.config().interfacesOf(e), e.ports(), e.hostVeth());
    }

    private NetworkDriver driver(NetworkConfig config) {
        return services.drivers().find(config.driver());
    }

    /** Done when a majority of the nodes know the interface's owner (at once for a null-driver endpoint). */
    private CompletableFuture<?> register(Endpoint e) {
        if (e.srcName() == null) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        return AskPattern.<EndpointDirectory.Command, Done>ask(services.endpoints(),
                replyTo -> new EndpointDirectory.Register(e.srcName(), name, e.name(), replyTo),
                services.askTimeout(), ctx.getSystem().scheduler()).toCompletableFuture();
    }

    private void unregister(Endpoint e) {
        if (e != null && e.srcName() != null) {
            services.endpoints().tell(new EndpointDirectory.Unregister(e.srcName()));
        }
    }

    private <T> StatusReply<T> noSuchNetwork() {
        return Replies.error(ErrorCode.NO_SUCH_NETWORK, "no network named " + name);
    }
}
