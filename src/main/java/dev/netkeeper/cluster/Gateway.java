package dev.netkeeper.cluster;

import dev.netkeeper.api.CborSerializable;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.HostInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.audit.AuditPage;
import dev.netkeeper.audit.AuditQuery;
import dev.netkeeper.audit.AuditService;
import dev.netkeeper.audit.StateAt;
import dev.netkeeper.kernel.RelaysByHost;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.namespace.NamespaceCommand;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.network.NetworkCommand;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.Replies;
import dev.netkeeper.network.Reservation;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The agent's front door for other JVMs (and the CLI): it takes commands in envelopes naming their
 * network or namespace and hands them to Cluster Sharding; replies go straight back to the caller.
 * Registered as /user/gateway, so a client needs only the agent's address, not cluster membership.
 */
public final class Gateway {
    public static final String NAME = "gateway";

    public interface Command extends CborSerializable {}

    public record ToNetwork(String network, NetworkCommand command) implements Command {}

    /** {@code host} null or empty: this agent's host. */
    public record ToNamespace(String host, String path, NamespaceCommand command) implements Command {}

    public record ListNetworks(ActorRef<StatusReply<Names>> replyTo) implements Command {}

    /** Namespace entity ids ("host:path") ever created; deleted ones answer NO_SUCH_NAMESPACE to Get. */
    public record ListNamespaces(ActorRef<StatusReply<Names>> replyTo) implements Command {}

    public record Describe(ActorRef<StatusReply<AgentInfo>> replyTo) implements Command {}

    /** The hosts of the cluster, as this agent sees them (see {@link HostInfo}). */
    public record ListHosts(ActorRef<StatusReply<Hosts>> replyTo) implements Command {}

    public record Hosts(List<HostInfo> hosts) implements CborSerializable {
        public Hosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** Which host's agent runs the network's entity now. */
    public record Locate(String network, ActorRef<StatusReply<NetworkCommand.Location>> replyTo) implements Command {}

    /** One page of the audit trail (see {@link AuditService#audit}). */
    public record QueryAudit(AuditQuery query, ActorRef<StatusReply<AuditPage>> replyTo) implements Command {}

    /** Networks and namespaces as they were at an instant; {@code network} null: all (see {@link AuditService#stateAt}). */
    public record QueryStateAt(long atMillis, String network, ActorRef<StatusReply<StateAt>> replyTo)
            implements Command {}

    public record Names(List<String> names) implements CborSerializable {
        public Names {
            names = List.copyOf(names);
        }
    }

    public record AgentInfo(String hostId, String address) implements CborSerializable {}

    private Gateway() {}

    /** A member's node became unreachable or was removed: its host's pending commands are refused. */
    private record MemberLost(org.apache.pekko.cluster.Member member) implements Command {}

    private record AnswerRelayed(String host, ActorRef<Object> relay) implements Command {}

    static Behavior<Command> create(NetkeeperNode node) {
        return Behaviors.setup(ctx -> {
            // relays of commands in flight to other hosts' namespaces
            RelaysByHost<Command> pending = new RelaysByHost<>(ctx, node.settings().askTimeout().multipliedBy(3),
                    AnswerRelayed::new);
            Cluster cluster = Cluster.get(ctx.getSystem());
            ActorRef<ClusterEvent.UnreachableMember> unreachable = ctx.messageAdapter(
                    ClusterEvent.UnreachableMember.class, e -> new MemberLost(e.member()));
            ActorRef<ClusterEvent.MemberRemoved> removed = ctx.messageAdapter(
                    ClusterEvent.MemberRemoved.class, e -> new MemberLost(e.member()));
            cluster.subscriptions().tell(Subscribe.create(unreachable, ClusterEvent.UnreachableMember.class));
            cluster.subscriptions().tell(Subscribe.create(removed, ClusterEvent.MemberRemoved.class));
            return Behaviors.receive(Command.class)
                    .onMessage(MemberLost.class, m -> {
                        for (String role : m.member().getRoles()) {
                            String host = HostAffineAllocation.hostOf(role);
                            if (host != null) {
                                pending.lost(host);
                            }
                        }
                        return Behaviors.same();
                    })
                    .onMessage(AnswerRelayed.class, m -> {
                        pending.ended(m.host(), m.relay());
                        return Behaviors.same();
                    })
                    .onMessage(ToNetwork.class, m -> {
                        // A link or create without a host is for this agent's host; one for a host that is
                        // away is refused before anything is journaled.
                        NetworkCommand command = m.command();
                        String host = null;
                        ActorRef<? extends StatusReply<?>> replyTo = null;
                        if (command instanceof NetworkCommand.Link link) {
                            command = link.receivedOn(node.settings().hostId());
                            host = link.targetHost(node.settings().hostId());
                            replyTo = link.replyTo();
                        } else if (command instanceof NetworkCommand.Create create) {
                            NetworkCommand.Create onHost = create.onHost(node.settings().hostId());
                            command = onHost;
                            host = onHost.host();
                            replyTo = create.replyTo();
                        }
                        if (host != null && !node.hostIsUp(host)) {
                            refuse(replyTo, KernelRouter.unavailable(host));
                            return Behaviors.same();
                        }
                        node.network(m.network()).tell(command);
                        return Behaviors.same();
                    })
                    .onMessage(ToNamespace.class, m -> {
                        String host = m.host() == null || m.host().isEmpty() ? node.settings().hostId() : m.host();
                        if (!node.hostIsUp(host) && m.command() instanceof NamespaceCommand.Answered a) {
                            // its entity can run only on that host's agent: do not let the caller wait for it
                            refuse(a.replyTo(), KernelRouter.unavailable(host));
                            return Behaviors.same();
                        }
                        NamespaceCommand command = m.command();
                        if (!host.equals(node.settings().hostId()) && command instanceof NamespaceCommand.Answered a) {
                            // answered through a relay that refuses it at once if the host is lost meanwhile
                            command = a.answeredTo(pending.open(host, a.replyTo()));
                        }
                        node.namespace(NamespaceEntity.entityId(host, m.path())).tell(command);
                        return Behaviors.same();
                    })
                    .onMessage(ListHosts.class, m -> {
                        m.replyTo().tell(StatusReply.success(new Hosts(node.hosts())));
                        return Behaviors.same();
                    })
                    .onMessage(Locate.class, m -> {
                        node.network(m.network()).tell(new NetworkCommand.Locate(m.replyTo()));
                        return Behaviors.same();
                    })
                    .onMessage(ListNetworks.class, m -> {
                        AskPattern.<NetworkDirectory.Command, NetworkDirectory.Listing>askWithStatus(node.directory(),
                                        NetworkDirectory.ListAll::new, node.settings().askTimeout(), ctx.getSystem().scheduler())
                                .whenComplete((listing, err) -> m.replyTo().tell(err != null
                                        ? Replies.error(Replies.typed(err))
                                        : StatusReply.success(new Names(listing.networks().stream()
                                        .map(Reservation::name).sorted().toList()))));
                        return Behaviors.same();
                    })
                    .onMessage(ListNamespaces.class, m -> {
                        node.namespaceIds().whenComplete((ids, err) -> m.replyTo().tell(err != null
                                ? Replies.error(new NetkeeperException(ErrorCode.KERNEL, "reading the journal: " + err))
                                : StatusReply.success(new Names(ids))));
                        return Behaviors.same();
                    })
                    .onMessage(Describe.class, m -> {
                        m.replyTo().tell(StatusReply.success(new AgentInfo(node.settings().hostId(),
                                ctx.getSystem().address().toString())));
                        return Behaviors.same();
                    })
                    .onMessage(QueryAudit.class, m -> {
                        pipe(new AuditService(ctx.getSystem()).audit(m.query()), m.replyTo());
                        return Behaviors.same();
                    })
                    .onMessage(QueryStateAt.class, m -> {
                        pipe(new AuditService(ctx.getSystem()).stateAt(m.atMillis(), m.network()), m.replyTo());
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @SuppressWarnings("unchecked")
    private static void refuse(ActorRef<? extends StatusReply<?>> replyTo, NetkeeperException error) {
        ((ActorRef<StatusReply<Object>>) replyTo).tell(Replies.error(error));
    }

    /** Answers {@code replyTo} with the outcome, a failure as a typed error. */
    private static <T> void pipe(CompletionStage<T> outcome, ActorRef<StatusReply<T>> replyTo) {
        outcome.whenComplete((value, err) -> replyTo.tell(err != null
                ? Replies.error(Replies.typed(err)) : StatusReply.success(value)));
    }
}
