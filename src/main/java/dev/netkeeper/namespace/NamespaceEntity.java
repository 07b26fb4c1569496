package dev.netkeeper.namespace;

import dev.netkeeper.api.NamespaceId;
import java.util.Optional;
import java.nio.file.Path;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.api.AddedInterface;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.network.Placement;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.CrashPoints;
import dev.netkeeper.kernel.DeleteNamespace;
import dev.netkeeper.kernel.EnsureNamespace;
import dev.netkeeper.kernel.NamespacePathFree;
import dev.netkeeper.kernel.NotNetkeepersNamespace;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.PlaceInterface;
import dev.netkeeper.kernel.ReturnInterface;
import dev.netkeeper.kernel.ReturnUnlisted;
import dev.netkeeper.namespace.NamespaceCommand.AddInterface;
import dev.netkeeper.namespace.NamespaceCommand.Create;
import dev.netkeeper.namespace.NamespaceCommand.Delete;
import dev.netkeeper.namespace.NamespaceCommand.Forget;
import dev.netkeeper.namespace.NamespaceCommand.Get;
import dev.netkeeper.namespace.NamespaceCommand.LinkInto;
import dev.netkeeper.namespace.NamespaceCommand.RemoveInterface;
import dev.netkeeper.namespace.NamespaceCommand.Use;
import dev.netkeeper.namespace.NamespaceCommand.VerifyPlacement;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceAdded;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceRemoved;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceCreated;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceUsed;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceDeleted;
import dev.netkeeper.network.EndpointDirectory;
import dev.netkeeper.network.EntityMetrics;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkCommand.Claimed;
import dev.netkeeper.network.Replies;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One network namespace on one host, event sourced; entity id "host:path". It takes interfaces that
 * a network linked (the network confirms and records the claim), journals each addition before the
 * kernel moves the interface in, and on start-up re-creates the mount and re-places its interfaces.
 */
public final class NamespaceEntity extends EventSourcedBehavior<NamespaceCommand, NamespaceEvent, NamespaceState> {
    public static final EntityTypeKey<NamespaceCommand> TYPE_KEY =
            EntityTypeKey.create(NamespaceCommand.class, "Namespace");
    public static final String TAG = "namespace";
    private static final int CONVERGE_ATTEMPTS = 40;
    private static final Set<ErrorCode> CLAIM_IS_GONE =
            Set.of(ErrorCode.NO_SUCH_ENDPOINT, ErrorCode.NO_SUCH_NETWORK, ErrorCode.INTERFACE_IN_USE);

    private final String id;
    private final String host;
    private final String path;
    private final ActorContext<NamespaceCommand> ctx;
    private final TimerScheduler<NamespaceCommand> timers;
    private final NamespaceServices services;
    /** An add, remove or delete is in flight: other commands wait in the stash. */
    private boolean busy;
    /** A converge (or its retries) is under way: the entity does not passivate before it ends. */
    private boolean converging;
    /** The shard that runs the entity, told when the entity passivates itself. */
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    static final Duration IDLE = Duration.ofSeconds(10);

    /** Timer: passivate unless the entity has something to keep by now. */
    private record PassivateIfUnused() implements NamespaceCommand {}

    private record ClaimAnswered(AddInterface command, String dstName, Claimed claimed, Throwable error)
            implements NamespaceCommand {}

    private record KernelDone(ActorRef<StatusReply<Done>> replyTo, Throwable error) implements NamespaceCommand {}

    private record Placed(AddInterface command, PlacedInterface placed, Throwable error) implements NamespaceCommand {}

    private record Created(ActorRef<StatusReply<dev.netkeeper.api.NamespaceInfo>> replyTo, Throwable error)
            implements NamespaceCommand {}

    private record PathChecked(Create command, Throwable error) implements NamespaceCommand {}

    private record UseChecked(Use command, String identity, Throwable error) implements NamespaceCommand {}

    private record Linked(LinkInto command, Interfaces interfaces, Throwable error) implements NamespaceCommand {}

    /**
     * A converge ended: {@code error} the first failure that a retry may mend; {@code gone} the interfaces (by
     * dstName, with the network's refusal) whose endpoint is gone or placed elsewhere: forgotten.
     */
    private record Converged(int attempt, Throwable error, Map<String, NetkeeperException> gone)
            implements NamespaceCommand {
        Converged(int attempt, Throwable error) {
            this(attempt, error, Map.of());
        }
    }

    private record ConvergeAgain(int attempt) implements NamespaceCommand {}

    private record Ignored() implements NamespaceCommand {}

    private NamespaceEntity(String id, ActorContext<NamespaceCommand> ctx, TimerScheduler<NamespaceCommand> timers,
                            NamespaceServices services, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(PersistenceId.of(TYPE_KEY.name(), id),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.id = id;
        NamespaceId namespace = NamespaceId.parse(id);
        this.host = namespace.host();
        this.path = namespace.path();
        this.ctx = ctx;
        this.timers = timers;
        this.services = services;
        this.shard = shard;
        EntityMetrics.alive("namespace", 1);
    }

    /**
     * With {@code shard} given, an entity with nothing to keep (never created, or deleted) passivates
     * after {@link #IDLE}, so that remember-entities does not wake it at every start.
     */
    public static Behavior<NamespaceCommand> create(String id, NamespaceServices services,
                                             ActorRef<ClusterSharding.ShardCommand> shard) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NamespaceEntity(id, ctx, timers, services, shard)));
    }


    public static String entityId(String host, String path) {
        return new NamespaceId(host, path).toString();
    }

    @Override
    public NamespaceState emptyState() {
        return NamespaceState.EMPTY;
    }

    @Override
    public Set<String> tagsFor(NamespaceEvent event) {
        return Set.of(TAG);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(services.snapshotEvery(), 2);
    }

    @Override
    public EventHandler<NamespaceState, NamespaceEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(NamespaceState::apply);
    }

    @Override
    public SignalHandler<NamespaceState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .onSignal(org.apache.pekko.actor.typed.PostStop.class, (state, stop) -> EntityMetrics.alive("namespace", -1))
                .onSignal(org.apache.pekko.actor.typed.PreRestart.class, (state, restart) -> EntityMetrics.alive("namespace", -1))
                .build();
    }

    /**
     * Grouped by state: the outcomes of work the entity started (any state); while it works (a create, use, add,
     * link, remove or delete in flight) every other command waits; then what a path without a namespace of ours
     * accepts, and what a namespace accepts.
     */
    @Override
    public CommandHandler<NamespaceCommand, NamespaceEvent, NamespaceState> commandHandler() {
        CommandHandlerBuilder<NamespaceCommand, NamespaceEvent, NamespaceState> handlers = newCommandHandlerBuilder();
        handlers.forAnyState()
                .onCommand(ClaimAnswered.class, this::onClaimAnswered)
                .onCommand(Placed.class, this::onPlaced)
                .onCommand(KernelDone.class, this::onKernelDone)
                .onCommand(Created.class, this::onCreated)
                .onCommand(PathChecked.class, this::onPathChecked)
                .onCommand(UseChecked.class, this::onUseChecked)
                .onCommand(Linked.class, this::onLinked)
                .onCommand(Converged.class, this::onConverged)
                .onCommand(ConvergeAgain.class, (state, c) -> {
                    converge(state, c.attempt());
                    return Effect().none();
                })
                .onCommand(Ignored.class, (state, i) -> Effect().none())
                .onCommand(PassivateIfUnused.class, this::onPassivateIfUnused);
        handlers.forState(state -> busy)
                .onAnyCommand((state, c) -> Effect().stash());
        handlers.forState(state -> !state.exists())
                .onCommand(Create.class, this::onCreate)
                .onCommand(Use.class, this::onUse)
                .onCommand(Delete.class, (state, d) -> Effect().reply(d.replyTo(), state.handled(d.audit().requestId())
                        ? StatusReply.ack() : noSuchNamespace()))
                .onCommand(Forget.class, (state, f) -> Effect().none())
                .onCommand(VerifyPlacement.class, this::onVerify)
                .onCommand(NamespaceCommand.Answered.class, (state, c) ->
                        Effect().reply(NamespaceCommand.relay(c.replyTo()), noSuchNamespace()));
        handlers.forState(NamespaceState::exists)
                .onCommand(Create.class, this::onCreate)
                .onCommand(Use.class, this::onUse)
                .onCommand(Get.class, (state, g) -> Effect().reply(g.replyTo(), StatusReply.success(state.info())))
                .onCommand(AddInterface.class, this::onAddInterface)
                .onCommand(LinkInto.class, this::onLinkInto)
                .onCommand(RemoveInterface.class, this::onRemoveInterface)
                .onCommand(Delete.class, this::onDelete)
                .onCommand(Forget.class, this::onForget)
                .onCommand(VerifyPlacement.class, this::onVerify)
                .onCommand(NamespaceCommand.Check.class, this::onCheck);
        return handlers.build();
    }

    private Effect<NamespaceEvent, NamespaceState> onPassivateIfUnused(NamespaceState state, PassivateIfUnused p) {
        if (converging) {
            timers.startSingleTimer(new PassivateIfUnused(), IDLE); // not before the kernel matches
        } else if (!state.exists() && !busy && shard != null) {
            shard.tell(new ClusterSharding.Passivate<>(ctx.getSelf()));
        }
        return Effect().none();
    }

    // ---- create / delete ---------------------------------------------------------------------------

    private Effect<NamespaceEvent, NamespaceState> onCreate(NamespaceState state, Create c) {
        if (state.exists()) {
            return Effect().reply(c.replyTo(), state.handled(c.audit().requestId()) ? StatusReply.success(state.info())
                    : Replies.error(ErrorCode.NAMESPACE_EXISTS, "namespace " + path + " exists already on " + host));
        }
        try {
            services.pathPolicy().check(path);
        } catch (NetkeeperException e) {
            return Effect().reply(c.replyTo(), Replies.error(e));
        }
        busy = true;
        // what an earlier life of this path left (a delete a crash cut) is cleared first; after that nothing may
        // be at the path: a namespace someone else mounted there is not ours to take
        List<KernelTask> tasks = new ArrayList<>(clearTasks(state));
        tasks.add(new NamespacePathFree(path));
        kernel(tasks, err -> new PathChecked(c, err));
        return Effect().none();
    }

    /** A namespace of another owner: registered by its identity, after checking what is at the path. */
    private Effect<NamespaceEvent, NamespaceState> onUse(NamespaceState state, Use u) {
        if (state.exists()) {
            return Effect().reply(u.replyTo(), state.handled(u.audit().requestId()) ? StatusReply.success(state.info())
                    : Replies.error(ErrorCode.NAMESPACE_EXISTS, "namespace " + path + " is known already on " + host));
        }
        String identity;
        try {
            services.pathPolicy().checkUsable(path);
            identity = foreignIdentity();
        } catch (NetkeeperException e) {
            return Effect().reply(u.replyTo(), Replies.error(e));
        }
        busy = true;
        kernel(List.of(new NotNetkeepersNamespace(path)), err -> new UseChecked(u, identity, err));
        return Effect().none();
    }

    private Effect<NamespaceEvent, NamespaceState> onUseChecked(NamespaceState state, UseChecked c) {
        busy = false;
        if (c.error() != null) {
            return Effect().reply(c.command().replyTo(), Replies.error(Replies.typed(c.error()))).thenUnstashAll();
        }
        return Effect().persist(new NamespaceUsed(host, path, c.identity(), c.command().audit().journaledNow()))
                .thenReply(c.command().replyTo(), s -> StatusReply.success(s.info()))
                .thenUnstashAll();
    }

    /** The identity of the namespace mounted at the path, which must be a network namespace and not the host's. */
    private String foreignIdentity() {
        Path at = Path.of(path);
        if (!NetNamespace.isNamespace(at)) {
            throw new NetkeeperException(ErrorCode.NO_SUCH_NAMESPACE, "no network namespace is mounted at " + path);
        }
        String identity = NetNamespace.identity(at).orElseThrow(() ->
                new NetkeeperException(ErrorCode.NO_SUCH_NAMESPACE, "no network namespace is mounted at " + path));
        // the host's, the agent process's own and the machine's (pid 1): none is ever a container's
        List<Path> hosts = new ArrayList<>(List.of(Path.of("/proc/self/ns/net"), Path.of("/proc/1/ns/net")));
        services.hostNamespace().ifPresent(hosts::add);
        if (hosts.stream().anyMatch(h -> NetNamespace.identityOf(h).equals(Optional.of(identity)))) {
            throw new NetkeeperException(ErrorCode.PATH_NOT_ALLOWED, "namespace path '" + path
                    + "' is refused: it is the agent's host namespace, never a container's");
        }
        return identity;
    }

    private Effect<NamespaceEvent, NamespaceState> onPathChecked(NamespaceState state, PathChecked p) {
        Create c = p.command();
        if (p.error() != null) {
            busy = false;
            return Effect().reply(c.replyTo(), Replies.error(Replies.typed(p.error()))).thenUnstashAll();
        }
        return Effect().persist(new NamespaceCreated(host, path, c.audit().journaledNow())).thenRun(s ->
                kernel(List.of(new EnsureNamespace(path)), err -> new Created(c.replyTo(), err)));
    }

    private Effect<NamespaceEvent, NamespaceState> onCreated(NamespaceState state, Created c) {
        busy = false;
        if (c.error() == null) {
            return Effect().reply(c.replyTo(), StatusReply.success(state.info())).thenUnstashAll();
        }
        NetkeeperException failure = Replies.typed(c.error());
        return Effect().persist(new NamespaceDeleted(Audit.agent("rollback of create: " + failure.getMessage())))
                .thenRun(s -> kernel(clearTasks(s), err -> err == null ? null : new Converged(1, err)))
                .thenReply(c.replyTo(), s -> Replies.error(failure))
                .thenUnstashAll();
    }

    private Effect<NamespaceEvent, NamespaceState> onDelete(NamespaceState state, Delete d) {
        List<PlacedInterface> placed = List.copyOf(state.interfaces().values());
        busy = true;
        // journaled first: whatever the kernel side a crash cuts, recovery of the deleted state finishes it
        return Effect().persist(new NamespaceDeleted(d.audit().journaledNow())).thenRun(s -> {
            CrashPoints.reach("ns-delete.after-journal");
            placed.forEach(p -> unclaim(p, true, d.audit()));
            kernel(clearTasks(state, placed), err -> new KernelDone(d.replyTo(), err));
        });
    }

    // ---- interfaces --------------------------------------------------------------------------------

    private Effect<NamespaceEvent, NamespaceState> onAddInterface(NamespaceState state, AddInterface a) {
        Interface iface = a.iface();
        if (iface == null || iface.srcName() == null) {
            return Effect().reply(a.replyTo(), Replies.error(ErrorCode.UNKNOWN_INTERFACE,
                    "the interface has no srcName: add one that a network's link returned"));
        }
        var already = state.bySrcName(iface.srcName());
        if (already.isPresent()) {
            return Effect().reply(a.replyTo(), StatusReply.success(new AddedInterface(already.get().iface())));
        }
        String dstName;
        try {
            dstName = DstNames.choose(state, iface.dstName());
        } catch (NetkeeperException e) {
            return Effect().reply(a.replyTo(), Replies.error(e));
        }
        busy = true;
        Duration timeout = services.askTimeout();
        CompletionStage<EndpointDirectory.Found> found = AskPattern.ask(services.endpoints(),
                replyTo -> new EndpointDirectory.Lookup(iface.srcName(), replyTo), timeout, ctx.getSystem().scheduler());
        CompletionStage<Claimed> claimed = found.thenCompose(f -> {
            if (f.owner().isEmpty()) {
                throw new NetkeeperException(ErrorCode.UNKNOWN_INTERFACE, "interface " + iface.srcName()
                        + " was not linked by any network of this cluster");
            }
            EndpointDirectory.Owner owner = f.owner().get();
            return AskPattern.askWithStatus(services.networks().apply(owner.network()),
                    replyTo -> new NetworkCommand.Claim(owner.endpoint(), id, a.audit(), replyTo),
                    timeout, ctx.getSystem().scheduler());
        });
        ctx.pipeToSelf(claimed, (c, err) -> new ClaimAnswered(a, dstName, c, err));
        return Effect().none();
    }

    /** One step: the network allocates, journals and makes the interface here; this namespace records it after the answer. */
    private Effect<NamespaceEvent, NamespaceState> onLinkInto(NamespaceState state, LinkInto l) {
        Optional<PlacedInterface> already = state.byEndpoint(l.network(), l.endpoint());
        if (already.isPresent()) {
            return Effect().reply(l.replyTo(), StatusReply.success(new Interfaces(List.of(already.get().iface()))));
        }
        String dstName;
        try {
            dstName = DstNames.choose(state, l.dstName());
        } catch (NetkeeperException e) {
            return Effect().reply(l.replyTo(), Replies.error(e));
        }
        busy = true;
        Placement placement = new Placement(id, dstName, state.foreignIdentity(), DefaultRoutes.free(state, false),
                DefaultRoutes.free(state, true));
        CompletionStage<Interfaces> linked = AskPattern.askWithStatus(services.networks().apply(l.network()),
                replyTo -> new NetworkCommand.Link(l.endpoint(), host, null, l.audit(), replyTo, placement)
                        .publishing(l.publish(), false).wanting(l.wanted()).naming(l.aliases()),
                services.askTimeout(), ctx.getSystem().scheduler());
        ctx.pipeToSelf(linked, (ifs, err) -> new Linked(l, ifs, err));
        return Effect().none();
    }

    /** Answered first (the network's journal holds it already), then recorded: off the caller's critical path. */
    private Effect<NamespaceEvent, NamespaceState> onLinked(NamespaceState state, Linked k) {
        LinkInto l = k.command();
        if (k.error() != null || k.interfaces().interfaces().isEmpty()) {
            busy = false;
            return Effect().reply(l.replyTo(), k.error() != null ? Replies.error(Replies.typed(k.error()))
                    : Replies.error(ErrorCode.UNKNOWN_INTERFACE, "endpoint " + l.endpoint() + " of network "
                    + l.network() + " has no interface")).thenUnstashAll();
        }
        l.replyTo().tell(StatusReply.success(k.interfaces()));
        CrashPoints.reach("link-into.after-reply");
        Interface iface = k.interfaces().interfaces().get(0);
        return Effect().persist(new InterfaceAdded(new PlacedInterface(l.network(), l.endpoint(), iface, true),
                        l.audit().journaledNow()))
                .thenRun(s -> busy = false)
                .thenUnstashAll();
    }

    private Effect<NamespaceEvent, NamespaceState> onClaimAnswered(NamespaceState state, ClaimAnswered c) {
        if (c.error() != null) {
            busy = false;
            return Effect().reply(c.command().replyTo(), Replies.error(Replies.typed(c.error()))).thenUnstashAll();
        }
        CrashPoints.reach("add.after-claim");
        Claimed claimed = c.claimed();
        PlacedInterface placed = new PlacedInterface(claimed.network(), claimed.endpoint(),
                claimed.iface().withDstName(c.dstName()));
        long persisting = System.nanoTime();
        return Effect().persist(new InterfaceAdded(placed, c.command().audit().journaledNow())).thenRun(s -> {
            EntityMetrics.journalWrite("InterfaceAdded", persisting);
            CrashPoints.reach("add.after-journal");
            kernel(List.of(placeTask(s, placed)), err -> new Placed(c.command(), placed, err));
        });
    }

    private Effect<NamespaceEvent, NamespaceState> onPlaced(NamespaceState state, Placed p) {
        busy = false;
        if (p.error() == null) {
            CrashPoints.reach("add.after-kernel");
            return Effect().reply(p.command().replyTo(), StatusReply.success(new AddedInterface(p.placed().iface()))).thenUnstashAll();
        }
        NetkeeperException failure = Replies.typed(p.error());
        return Effect().persist(new InterfaceRemoved(p.placed().iface().dstName(), "rollback: " + failure.getMessage(),
                        Audit.agent("rollback of add-interface")))
                .thenRun(s -> {
                    kernel(List.of(returnTask(state, p.placed())), err -> err == null ? null : new Converged(1, err));
                    unclaim(p.placed(), false, Audit.agent("rollback of add-interface"));
                })
                .thenReply(p.command().replyTo(), s -> Replies.error(failure))
                .thenUnstashAll();
    }

    private Effect<NamespaceEvent, NamespaceState> onRemoveInterface(NamespaceState state, RemoveInterface r) {
        PlacedInterface placed = r.dstName() == null ? null : state.interfaces().get(r.dstName());
        if (placed == null) {
            return Effect().reply(r.replyTo(), state.handled(r.audit().requestId()) ? StatusReply.ack()
                    : Replies.error(ErrorCode.NO_SUCH_INTERFACE, "namespace " + path + " has no interface "
                    + r.dstName()));
        }
        busy = true;
        return Effect().persist(new InterfaceRemoved(r.dstName(), "removed", r.audit().journaledNow())).thenRun(s -> {
            CrashPoints.reach("remove.after-journal");
            unclaim(placed, false, r.audit());
            kernel(List.of(returnTask(state, placed)), err -> new KernelDone(r.replyTo(), err));
        });
    }

    /** Each placed interface checked against the kernel, read only; the first difference found fails the answer. */
    private Effect<NamespaceEvent, NamespaceState> onCheck(NamespaceState state, NamespaceCommand.Check c) {
        if (c.dstName() != null && !state.interfaces().containsKey(c.dstName())) {
            return Effect().reply(c.replyTo(), Replies.error(ErrorCode.NO_SUCH_INTERFACE, "namespace " + path
                    + " has no interface " + c.dstName()));
        }
        List<KernelTask> checks = state.interfaces().values().stream()
                .filter(p -> c.dstName() == null || c.dstName().equals(p.iface().dstName()))
                .<KernelTask>map(p -> new dev.netkeeper.kernel.CheckPlacement(placeTask(state, p))).toList();
        if (checks.isEmpty()) {
            return Effect().reply(c.replyTo(), StatusReply.ack());
        }
        KernelRouter.run(services.kernels(), host, checks, services.askTimeout(), ctx.getSystem().scheduler())
                .whenComplete((ok, err) -> c.replyTo().tell(err == null ? StatusReply.ack()
                        : Replies.error(Replies.typed(err))));
        return Effect().none();
    }

    private Effect<NamespaceEvent, NamespaceState> onKernelDone(NamespaceState state, KernelDone k) {
        if (k.error() != null) {
            retryLater(1, k.error()); // journaled already: converge brings the kernel in line with it
        } else if (!state.exists()) {
            timers.startSingleTimer(new PassivateIfUnused(), IDLE); // deleted: nothing left to keep
        }
        busy = false;
        return Effect().reply(k.replyTo(), k.error() == null ? StatusReply.ack()
                : Replies.error(Replies.typed(k.error()))).thenUnstashAll();
    }

    /**
     * The network unlinked an endpoint whose interface is here (the kernel deleted the pair). When that interface
     * carried a default route, the next one with a gateway of the family carries it now: converged, so that the
     * container keeps its way out (the kernel took the route away with the interface).
     */
    private Effect<NamespaceEvent, NamespaceState> onForget(NamespaceState state, Forget f) {
        return state.byEndpoint(f.network(), f.endpoint())
                .<Effect<NamespaceEvent, NamespaceState>>map(p -> {
                    boolean carried = DefaultRoutes.carries(state, p, false) || DefaultRoutes.carries(state, p, true);
                    return Effect().persist(new InterfaceRemoved(p.iface().dstName(), "endpoint unlinked", f.audit()))
                            .thenRun(s -> {
                                if (carried && s.exists() && !s.interfaces().isEmpty()) {
                                    converge(s, 1);
                                }
                            });
                })
                .orElseGet(() -> Effect().none());
    }

    private Effect<NamespaceEvent, NamespaceState> onVerify(NamespaceState state, VerifyPlacement v) {
        if (state.byEndpoint(v.network(), v.endpoint()).isPresent()) {
            return Effect().none();
        }
        if (v.born() != null && state.exists() && !state.interfaces().containsKey(v.born().dstName())) {
            // the network's link made it here and journaled it; a crash cut this namespace's own write
            PlacedInterface adopted = new PlacedInterface(v.network(), v.endpoint(), v.born(), true);
            return Effect().persist(new InterfaceAdded(adopted, Audit.agent("recovery of " + id + ": linked into it")))
                    .thenRun(s -> converge(s, 1));
        }
        services.networks().apply(v.network()).tell(new NetworkCommand.Unclaim(v.endpoint(), id, !state.exists(),
                Audit.agent("namespace " + id + " does not hold it")));
        return Effect().none();
    }

    // ---- recovery ----------------------------------------------------------------------------------

    private void onRecovered(NamespaceState state) {
        if (!state.exists()) {
            if (lastSequenceNumber(ctx) > 0) {
                converge(state, 1); // a delete that a crash may have cut is finished
            }
            timers.startSingleTimer(new PassivateIfUnused(), IDLE);
            return;
        }
        // each interface re-placed by its network (which drops the ones whose endpoint went away while we were down)
        converge(state, 1);
    }

    /**
     * Brings the kernel in line with the journal, both ways: a namespace that exists holds exactly the
     * interfaces it lists (the unlisted ones of netkeeper's go back to the host first, so none holds a wanted
     * name); a deleted one is gone, its interfaces returned.
     */
    private void converge(NamespaceState state, int attempt) {
        converging = true;
        if (!state.exists()) {
            kernel(clearTasks(state), err -> new Converged(attempt, err));
            return;
        }
        List<KernelTask> tasks = new ArrayList<>();
        if (!state.foreign()) {
            tasks.add(new EnsureNamespace(path)); // one of another owner is never made by netkeeper
        }
        tasks.add(new ReturnUnlisted(path, state.macs(), state.foreignIdentity()));
        List<PlacedInterface> placed = List.copyOf(state.interfaces().values());
        Map<String, NetkeeperException> gone = new java.util.concurrent.ConcurrentHashMap<>();
        // then each network puts its interface here, making the pair again (born here) if the host lost it: the
        // network's own converge has made its bridge by then (it runs first on the same host's netlink actor)
        CompletionStage<?> done = KernelRouter.run(services.kernels(), host, tasks, services.askTimeout(),
                ctx.getSystem().scheduler()).thenCompose(ok -> CompletableFuture.allOf(placed.stream()
                .map(p -> attach(state, p).exceptionally(err -> {
                    NetkeeperException e = Replies.typed(err);
                    if (!CLAIM_IS_GONE.contains(e.code())) {
                        throw e;
                    }
                    gone.put(p.iface().dstName(), e);
                    return Done.getInstance();
                }).toCompletableFuture()).toArray(CompletableFuture[]::new)));
        ctx.pipeToSelf(done, (ok, err) -> new Converged(attempt, err == null ? null : Replies.typed(err), Map.copyOf(gone)));
    }

    /** Asks {@code p}'s network to put the interface here as this namespace places it. */
    private CompletionStage<Done> attach(NamespaceState state, PlacedInterface p) {
        Placement placement = new Placement(id, p.iface().dstName(), state.foreignIdentity(),
                DefaultRoutes.carries(state, p, false), DefaultRoutes.carries(state, p, true));
        return AskPattern.askWithStatus(services.networks().apply(p.network()),
                replyTo -> new NetworkCommand.Attach(p.endpoint(), placement, replyTo), services.askTimeout(),
                ctx.getSystem().scheduler());
    }

    /**
     * No namespace of netkeeper's at the path: every interface of netkeeper's in it goes back to the host, and
     * the namespace is removed if netkeeper made it (one of another owner is only left, never unmounted).
     */
    private List<KernelTask> clearTasks(NamespaceState state) {
        return clearTasks(state, List.of());
    }

    /**
     * As {@link #clearTasks(NamespaceState)}, returning {@code listed} (what a delete forgets) by name first; those
     * born here stay, to go with the namespace (their networks release them and delete the pairs).
     */
    private List<KernelTask> clearTasks(NamespaceState state, List<PlacedInterface> listed) {
        List<KernelTask> tasks = new ArrayList<>();
        listed.stream().filter(p -> !p.bornHere()).forEach(p -> tasks.add(returnTask(state, p)));
        tasks.add(new ReturnUnlisted(path, listed.stream().filter(PlacedInterface::bornHere)
                .map(p -> p.iface().macAddress()).toList(), state.foreignIdentity()));
        if (!state.foreign()) {
            tasks.add(new DeleteNamespace(path));
        }
        return tasks;
    }

    private Effect<NamespaceEvent, NamespaceState> onConverged(NamespaceState state, Converged c) {
        if (c.error() == null) {
            converging = false;
            ctx.getLog().info("namespace {} converged: {} interface(s)", id, state.interfaces().size() - c.gone().size());
        } else {
            retryLater(c.attempt(), c.error());
        }
        List<NamespaceEvent> forgotten = new ArrayList<>();
        c.gone().forEach((dst, why) -> {
            if (state.interfaces().containsKey(dst)) {
                forgotten.add(new InterfaceRemoved(dst, "gone while the agent was down: " + why.getMessage(),
                        Audit.agent("recovery of " + id)));
            }
        });
        return forgotten.isEmpty() ? Effect().none() : Effect().persist(forgotten);
    }

    /** Converges again after a failed kernel step (attempt {@code attempt} failed), a bounded number of times. */
    private void retryLater(int attempt, Throwable error) {
        if (attempt < CONVERGE_ATTEMPTS) {
            converging = true;
            ctx.getLog().info("namespace {} not converged yet (attempt {}): {}", id, attempt, error.getMessage());
            timers.startSingleTimer(new ConvergeAgain(attempt + 1), Duration.ofMillis(Math.min(2000, 100L * attempt)));
        } else {
            converging = false;
            ctx.getLog().error("namespace {} gave up converging: {}", id, error.getMessage());
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------

    /**
     * {@code state} holds {@code p}. A namespace has one default route per family: only the first interface
     * (in the order they were added) with a gateway of that family gets it; a second one would collide
     * with the first (EEXIST) and fail the add of any interface from a second network.
     */
    private PlaceInterface placeTask(NamespaceState state, PlacedInterface p) {
        return PlaceInterface.of(path, p.iface(), DefaultRoutes.carries(state, p, false), DefaultRoutes.carries(state, p, true),
                state.foreignIdentity());
    }

    private ReturnInterface returnTask(NamespaceState state, PlacedInterface p) {
        return new ReturnInterface(path, p.iface().dstName(), p.iface().srcName(), p.iface().macAddress(),
                state.foreignIdentity());
    }

    private void unclaim(PlacedInterface p, boolean namespaceGone, Audit audit) {
        services.networks().apply(p.network()).tell(new NetworkCommand.Unclaim(p.endpoint(), id, namespaceGone,
                audit.journaledNow()));
    }

    private void kernel(List<KernelTask> tasks, Function<Throwable, NamespaceCommand> onDone) {
        ctx.pipeToSelf(KernelRouter.run(services.kernels(), host, tasks, services.askTimeout(),
                        ctx.getSystem().scheduler()),
                (done, err) -> {
                    NamespaceCommand msg = onDone.apply(err);
                    return msg != null ? msg : new Ignored();
                });
    }

    private <T> StatusReply<T> noSuchNamespace() {
        return Replies.error(ErrorCode.NO_SUCH_NAMESPACE, "no namespace " + path + " on host " + host);
    }
}
