package dev.netkeeper.cluster;

import dev.netkeeper.api.AgentInfo;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Hosts;
import dev.netkeeper.api.Names;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Request;
import dev.netkeeper.audit.AuditService;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.kernel.RelaysByHost;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.PathPolicy;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.NetworkPlan;
import dev.netkeeper.network.Reservation;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where every door of this process hands its public {@link Request}s: it checks them (required fields,
 * names, paths, whether the host is up), turns each into its entity's command and hands it to Cluster
 * Sharding; the entity answers the caller directly. In-process only: its messages are not serializable,
 * so no other process can send it anything (the doors are {@code dev.netkeeper.front}, and later the
 * local API). Supervised: a failure while handling one request restarts it for the next.
 */
public final class Gateway {
    public static final String NAME = "gateway";

    public interface Command {}

    /** A public request, answered to {@code replyTo}. */
    public record Handle<R>(Request<R> request, ActorRef<StatusReply<R>> replyTo) implements Command {}

    /** A member's node became unreachable or was removed: its host's pending commands are refused. */
    private record MemberLost(Member member) implements Command {}

    private record AnswerRelayed(String host, ActorRef<Object> relay) implements Command {}

    /** The directory answered whether {@code network} exists, for a command waiting on it. */
    /** {@code deliver}: what to do with the request once the network is known to exist. */
    private record NetworkLookedUp(String network, Runnable deliver, ActorRef<?> replyTo, boolean reserved,
                                   Throwable error) implements Command {}

    private final NetkeeperNode node;
    private final ActorContext<Command> ctx;
    /** Relays of commands in flight to other hosts' namespaces. */
    private final RelaysByHost<Command> pending;
    /** Network names seen reserved in the directory: commands for them go straight to their entity. */
    private final java.util.Set<String> knownNetworks = new java.util.HashSet<>();

    private Gateway(NetkeeperNode node, ActorContext<Command> ctx) {
        this.node = node;
        this.ctx = ctx;
        this.pending = new RelaysByHost<>(ctx, node.settings().askTimeout().multipliedBy(3), AnswerRelayed::new);
    }

    static Behavior<Command> create(NetkeeperNode node) {
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> {
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.UnreachableMember.class,
                    e -> new MemberLost(e.member())), ClusterEvent.UnreachableMember.class));
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
                    e -> new MemberLost(e.member())), ClusterEvent.MemberRemoved.class));
            return new Gateway(node, ctx).behavior();
        })).onFailure(SupervisorStrategy.restart().withStopChildren(false)); // relays in flight keep answering
    }

    private Behavior<Command> behavior() {
        return Behaviors.receive(Command.class)
                .onMessage(Handle.class, this::onHandle)
                .onMessage(MemberLost.class, m -> {
                    for (String role : m.member().getRoles()) {
                        String host = HostAffineAllocation.hostOf(role);
                        if (host != null) {
                            pending.lost(host);
                        }
                    }
                    return Behaviors.same();
                })
                .onMessage(NetworkLookedUp.class, this::onNetworkLookedUp)
                .onMessage(AnswerRelayed.class, m -> {
                    pending.ended(m.host(), m.relay());
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<Command> onHandle(Handle<?> h) {
        if (h.replyTo() == null) {
            ctx.getLog().warn("dropped a request with nobody to answer: {}", h.request());
            return Behaviors.same();
        }
        try {
            dispatch(h.request(), h.replyTo());
        } catch (NetkeeperException e) {
            reply(h.replyTo(), e);
        }
        return Behaviors.same();
    }

    private void dispatch(Request<?> request, ActorRef<?> replyTo) {
        if (request == null) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "a call without a request");
        }
        List<String> missing = request.missingFields();
        if (!missing.isEmpty()) {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, request.getClass().getSimpleName()
                    + " without " + String.join(", ", missing));
        }
        String here = node.settings().hostId();
        if (request instanceof Request.CreateNetwork r) {
            String host = r.host() == null || r.host().isEmpty() ? here : r.host();
            NetworkOptions options = r.options() == null ? NetworkOptions.defaults() : r.options();
            toNetwork(r.name(), host, new NetworkCommand.Create(r.type(), options, host, r.audit(), ref(replyTo)), replyTo,
                    true);
        } else if (request instanceof Request.GetNetwork r) {
            toNetwork(r.name(), null, new NetworkCommand.Get(r.endpointsAfter(), r.endpointsLimit(), ref(replyTo)), replyTo, false);
        } else if (request instanceof Request.LocateNetwork r) {
            toNetwork(r.name(), null, new NetworkCommand.Locate(ref(replyTo)), replyTo, false);
        } else if (request instanceof Request.DeleteNetwork r) {
            // always to the entity: a retried delete of a network that is gone is answered from its journal
            toNetwork(r.name(), null, new NetworkCommand.Delete(r.force(), r.audit(), ref(replyTo)), replyTo, true);
            knownNetworks.remove(r.name()); // looked up again next time: a deleted name starts no entity
        } else if (request instanceof Request.Link r && r.oneStep()) {
            // to the namespace, which chooses the interface's name and routes and asks the network (known to exist)
            NamespaceCommand.LinkInto into = new NamespaceCommand.LinkInto(r.network(), r.endpoint(),
                    r.options().dstName(), r.audit(), ref(replyTo), r.options().publish(),
                    dev.netkeeper.network.WantedAddresses.of(r.options()), r.options().aliases());
            whenNetworkKnown(r.network(), null, replyTo, () -> toNamespace(r.host(), r.options().namespace(), into, true));
        } else if (request instanceof Request.Link r) {
            NetworkCommand.Link link = new NetworkCommand.Link(r.endpoint(), r.host(), here, r.audit(), ref(replyTo))
                    .publishing(r.options() == null ? List.of() : r.options().publish(), false)
                    .wanting(dev.netkeeper.network.WantedAddresses.of(r.options()))
                    .naming(r.options() == null ? List.of() : r.options().aliases());
            toNetwork(r.network(), link.targetHost(here), link, replyTo, false);
        } else if (request instanceof Request.Publish r) {
            toNetwork(r.network(), null, new NetworkCommand.Publish(r.endpoint(), r.ports(), false, r.audit(),
                    ref(replyTo)), replyTo, false);
        } else if (request instanceof Request.Unpublish r) {
            toNetwork(r.network(), null, new NetworkCommand.Unpublish(r.endpoint(), r.ports(), r.audit(), ref(replyTo)),
                    replyTo, false);
        } else if (request instanceof Request.Unlink r) {
            toNetwork(r.network(), null, new NetworkCommand.Unlink(r.endpoint(), r.audit(), ref(replyTo)), replyTo, false);
        } else if (request instanceof Request.CreateNamespace r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.Create(r.audit(), ref(replyTo)), false);
        } else if (request instanceof Request.UseNamespace r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.Use(r.audit(), ref(replyTo)), true);
        } else if (request instanceof Request.GetNamespace r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.Get(ref(replyTo)), true);
        } else if (request instanceof Request.DeleteNamespace r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.Delete(r.audit(), ref(replyTo)), true);
        } else if (request instanceof Request.CheckNamespace r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.Check(r.dstName(), ref(replyTo)), true);
        } else if (request instanceof Request.AddInterface r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.AddInterface(r.iface(), r.audit(), ref(replyTo)), true);
        } else if (request instanceof Request.RemoveInterface r) {
            toNamespace(r.host(), r.path(), new NamespaceCommand.RemoveInterface(r.dstName(), r.audit(), ref(replyTo)), true);
        } else if (request instanceof Request.RequestPool r) {
            requestPool(r, ref(replyTo));
        } else if (request instanceof Request.ReleasePool r) {
            node.directory().tell(new NetworkDirectory.ReleasePool(r.poolId(), r.audit().journaledNow(), ref(replyTo)));
        } else if (request instanceof Request.RequestAddress r) {
            node.directory().tell(new NetworkDirectory.ReserveAddress(r.poolId(), r.address(), r.gateway(),
                    r.audit().journaledNow(), ref(replyTo)));
        } else if (request instanceof Request.ReleaseAddress r) {
            node.directory().tell(new NetworkDirectory.ReleaseAddress(r.poolId(), r.address(), r.audit().journaledNow(),
                    ref(replyTo)));
        } else if (request instanceof Request.ListNetworks r) {
            pipe(AskPattern.<NetworkDirectory.Command, NetworkDirectory.Listing>askWithStatus(node.directory(),
                            NetworkDirectory.ListAll::new, node.settings().askTimeout(), ctx.getSystem().scheduler())
                    .thenApply(listing -> Names.page(listing.networks().stream().map(Reservation::name).sorted().toList(),
                            r.after(), Request.pageSize(r.limit()))),
                    ref(replyTo), ErrorCode.INTERNAL);
        } else if (request instanceof Request.ListNamespaces r) {
            pipe(node.namespaceIds().thenApply(ids -> Names.page(ids, r.after(), Request.pageSize(r.limit()))),
                    ref(replyTo), ErrorCode.JOURNAL);
        } else if (request instanceof Request.ListHosts) {
            Gateway.<Hosts>ref(replyTo).tell(StatusReply.success(new Hosts(node.hosts())));
        } else if (request instanceof Request.Describe) {
            Gateway.<AgentInfo>ref(replyTo).tell(StatusReply.success(new AgentInfo(here,
                    ctx.getSystem().address().toString())));
        } else if (request instanceof Request.QueryAudit r) {
            pipe(new AuditService(ctx.getSystem()).audit(r.query()), ref(replyTo), ErrorCode.JOURNAL);
        } else if (request instanceof Request.QueryStateAt r) {
            if (r.network() != null) {
                NetworkPlan.checkNetworkName(r.network());
            }
            pipe(new AuditService(ctx.getSystem()).stateAt(r.atMillis(), r.network()), ref(replyTo), ErrorCode.JOURNAL);
        } else {
            throw new NetkeeperException(ErrorCode.INVALID_REQUEST, "unknown request " + request.getClass().getSimpleName());
        }
    }

    /**
     * A pool of an outside IPAM, reserved in the directory; one to be carved avoids the routes and addresses of the
     * host it is for (the agent's own when the request names none), as a network's carved subnet does.
     */
    private void requestPool(Request.RequestPool r, ActorRef<StatusReply<dev.netkeeper.api.PoolLease>> replyTo) {
        Audit audit = r.audit().journaledNow();
        if (r.pool() != null && !r.pool().isBlank()) {
            node.directory().tell(new NetworkDirectory.ReservePool(r.pool().strip(), blankToNull(r.subPool()), r.ipv6(),
                    List.of(), audit, replyTo));
            return;
        }
        String host = r.host() == null || r.host().isEmpty() ? node.settings().hostId() : r.host();
        if (!node.hostIsUp(host)) {
            throw KernelRouter.unavailable(host);
        }
        java.time.Duration timeout = node.settings().askTimeout();
        pipe(AskPattern.<KernelRouter.Command, dev.netkeeper.kernel.NetlinkActor.HostRoutes>askWithStatus(node.kernels(),
                        to -> new KernelRouter.OnHost(host, new dev.netkeeper.kernel.NetlinkActor.ListHostRoutes(to)),
                        timeout, ctx.getSystem().scheduler())
                .thenCompose(routes -> {
                    List<String> avoid = new java.util.ArrayList<>(routes.destinations());
                    return AskPattern.<NetworkDirectory.Command, dev.netkeeper.api.PoolLease>askWithStatus(node.directory(),
                            to -> new NetworkDirectory.ReservePool(null, blankToNull(r.subPool()), r.ipv6(), avoid, audit, to),
                            timeout, ctx.getSystem().scheduler());
                }), replyTo, ErrorCode.INTERNAL);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * To the network's entity; {@code host}, when the command makes something on a host, must be up:
     * one for a host that is away is refused before anything is journaled. A name this gateway has not seen
     * reserved is looked up in the directory first, unless the command goes to the entity {@code anyway}
     * (a create; a delete, whose retry is answered from the journal): a query for a network that does not
     * exist starts no entity (nothing remembered, nothing journaled).
     */
    private void toNetwork(String network, String host, NetworkCommand command, ActorRef<?> replyTo, boolean anyway) {
        if (anyway) {
            NetworkPlan.checkNetworkName(network);
            if (host != null && !node.hostIsUp(host)) {
                throw KernelRouter.unavailable(host);
            }
            node.network(network).tell(command);
            return;
        }
        whenNetworkKnown(network, host, replyTo, () -> node.network(network).tell(command));
    }

    /** Runs {@code deliver} once the network is known to exist (at once when seen before); else refuses NO_SUCH_NETWORK. */
    private void whenNetworkKnown(String network, String host, ActorRef<?> replyTo, Runnable deliver) {
        NetworkPlan.checkNetworkName(network);
        if (host != null && !node.hostIsUp(host)) {
            throw KernelRouter.unavailable(host);
        }
        if (knownNetworks.contains(network)) {
            deliver.run();
            return;
        }
        ctx.pipeToSelf(AskPattern.<NetworkDirectory.Command, NetworkDirectory.LookedUp>ask(node.directory(),
                        r -> new NetworkDirectory.Lookup(network, r), node.settings().askTimeout(), ctx.getSystem().scheduler()),
                (found, err) -> new NetworkLookedUp(network, deliver, replyTo, found != null && found.reserved(), err));
    }

    private Behavior<Command> onNetworkLookedUp(NetworkLookedUp m) {
        if (m.error() != null) {
            reply(m.replyTo(), NetkeeperException.of(m.error()));
        } else if (!m.reserved()) {
            reply(m.replyTo(), new NetkeeperException(ErrorCode.NO_SUCH_NETWORK, "no network named " + m.network()));
        } else {
            knownNetworks.add(m.network());
            try {
                m.deliver().run();
            } catch (NetkeeperException e) {
                reply(m.replyTo(), e);
            }
        }
        return Behaviors.same();
    }

    /**
     * To the namespace's entity, which can run only on its host's agent. {@code usable}: any command but a
     * create, whose namespace may also be a process's own ({@code /proc/PID/ns/net}, used, never made).
     */
    private void toNamespace(String givenHost, String path, NamespaceCommand.Answered command, boolean usable) {
        String here = node.settings().hostId();
        String host = givenHost == null || givenHost.isEmpty() ? here : givenHost;
        // one spelling a namespace: "/var/run/netns//c1" and "/var/run/netns/c1/" are "/var/run/netns/c1"
        String normalized = (!host.equals(here) ? PathPolicy.checkSyntax(path) // its own agent checks its roots
                : usable ? node.pathPolicy().checkUsable(path) : node.pathPolicy().check(path)).toString();
        if (!node.hostIsUp(host)) {
            throw KernelRouter.unavailable(host); // do not let the caller wait for an entity that cannot run
        }
        NamespaceCommand.Answered sent = command;
        if (!host.equals(here)) {
            // answered through a relay that refuses it at once if the host is lost meanwhile
            sent = command.answeredTo(pending.open(host, command.replyTo()));
        }
        node.namespace(NamespaceEntity.entityId(host, normalized)).tell(sent);
    }

    @SuppressWarnings("unchecked")
    private static <T> ActorRef<StatusReply<T>> ref(ActorRef<?> replyTo) {
        return (ActorRef<StatusReply<T>>) replyTo;
    }

    private static void reply(ActorRef<?> replyTo, NetkeeperException error) {
        Gateway.<Object>ref(replyTo).tell(error.toReply());
    }

    /** Answers {@code replyTo} with the outcome; a failure that is not typed yet gets {@code otherwise}. */
    private static <T> void pipe(CompletionStage<T> outcome, ActorRef<StatusReply<T>> replyTo, ErrorCode otherwise) {
        outcome.whenComplete((value, err) -> {
            if (err == null) {
                replyTo.tell(StatusReply.success(value));
            } else {
                NetkeeperException e = NetkeeperException.of(err);
                replyTo.tell((e.code() == ErrorCode.INTERNAL ? new NetkeeperException(otherwise, e.getMessage()) : e)
                        .toReply());
            }
        });
    }
}
