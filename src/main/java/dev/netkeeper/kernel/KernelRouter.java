package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.pattern.StatusReply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Hands kernel work to the netlink actor of the host it is for: this node's own actor directly, another
 * host's through the Receptionist (each NetlinkActor registers under {@link NetlinkActor#key}). A host
 * with no reachable actor is refused at once with HOST_UNAVAILABLE instead of waiting for a timeout:
 * the cluster receptionist lists only instances on reachable nodes. Work sent to another host is
 * answered through an {@link AnswerRelay}, so that work in flight when that host is lost (its actor
 * leaves the listing) is refused then too.
 */
public final class KernelRouter {
    public interface Command {}

    /** Runs {@code command} (an Execute or ListHostRoutes) on host {@code host}'s netlink actor. */
    public record OnHost(String host, NetlinkActor.Command command) implements Command {}

    private record Listed(Receptionist.Listing listing) implements Command {}

    private record Relayed(String host, ActorRef<Object> relay) implements Command {}

    /** A node became unreachable or left the cluster. */
    private record NodeLost(Address address) implements Command {}

    private KernelRouter() {}

    /**
     * {@code relayFor}: how long an answer from another host is waited for at most (work in flight to a
     * host that is lost meanwhile is answered HOST_UNAVAILABLE as soon as the listing drops it).
     */
    public static Behavior<Command> create(String localHost, ActorRef<NetlinkActor.Command> local, Duration relayFor) {
        // supervised: a failure while routing one request restarts the router for the next
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> new Routes(ctx, localHost, local, relayFor).behavior()))
                .onFailure(SupervisorStrategy.restart());
    }

    private static final class Routes {
        private final ActorContext<Command> ctx;
        private final String localHost;
        private final ActorRef<NetlinkActor.Command> local;
        /**
         * The actors listed for each host we have heard of (none proved to be another host's). Whether one can be used
         * is decided when work is sent: a host listed while its member was still joining is usable once it is up, and
         * the receptionist lists it only once.
         */
        private final Map<String, List<ActorRef<NetlinkActor.Command>>> hosts = new HashMap<>();
        /** Work for hosts whose first listing has not arrived yet. */
        private final Map<String, List<NetlinkActor.Command>> waiting = new HashMap<>();
        /** Relays of work in flight on other hosts. */
        private final RelaysByHost<Command> inFlight;
        /** One adapter for every host's listing: an actor has one adapter per message class. */
        private final ActorRef<Receptionist.Listing> listings;

        Routes(ActorContext<Command> ctx, String localHost, ActorRef<NetlinkActor.Command> local, Duration relayFor) {
            this.ctx = ctx;
            this.localHost = localHost;
            this.local = local;
            this.inFlight = new RelaysByHost<>(ctx, relayFor, Relayed::new);
            this.listings = ctx.messageAdapter(Receptionist.Listing.class, Listed::new);
            // The receptionist may list a dead node's actor for a while after it is gone: membership
            // decides whether a listed actor can be used.
            Cluster cluster = Cluster.get(ctx.getSystem());
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.UnreachableMember.class,
                    e -> new NodeLost(e.member().address())), ClusterEvent.UnreachableMember.class));
            cluster.subscriptions().tell(Subscribe.create(ctx.messageAdapter(ClusterEvent.MemberRemoved.class,
                    e -> new NodeLost(e.member().address())), ClusterEvent.MemberRemoved.class));
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(OnHost.class, this::onHost)
                    .onMessage(Listed.class, this::onListed)
                    .onMessage(NodeLost.class, this::onNodeLost)
                    .onMessage(Relayed.class, r -> {
                        inFlight.ended(r.host(), r.relay());
                        return Behaviors.same();
                    })
                    .build();
        }

        private Behavior<Command> onHost(OnHost m) {
            if (m.host() == null || m.host().equals(localHost)) {
                local.tell(m.command());
                return Behaviors.same();
            }
            List<ActorRef<NetlinkActor.Command>> known = hosts.get(m.host());
            if (known != null) {
                deliver(m.host(), known, m.command());
                return Behaviors.same();
            }
            List<NetlinkActor.Command> queue = waiting.get(m.host());
            if (queue == null) {
                queue = new ArrayList<>();
                waiting.put(m.host(), queue);
                ctx.getSystem().receptionist().tell(Receptionist.subscribe(NetlinkActor.key(m.host()), listings));
            }
            queue.add(m.command());
            return Behaviors.same();
        }

        private Behavior<Command> onListed(Listed l) {
            String host = NetlinkActor.hostOf(l.listing().getKey());
            List<ActorRef<NetlinkActor.Command>> actors = l.listing()
                    .getServiceInstances(NetlinkActor.key(host)).stream()
                    .filter(a -> !provedOtherHost(a, host)).toList();
            hosts.put(host, actors);
            if (actors.stream().noneMatch(this::usable)) {
                inFlight.lost(host);
            }
            List<NetlinkActor.Command> queue = waiting.remove(host);
            if (queue != null) {
                queue.forEach(c -> deliver(host, actors, c));
            }
            return Behaviors.same();
        }

        private Behavior<Command> onNodeLost(NodeLost lost) {
            hosts.forEach((host, actors) -> {
                if (actors.stream().anyMatch(a -> a.path().address().equals(lost.address()))) {
                    inFlight.lost(host);
                }
            });
            return Behaviors.same();
        }

        /**
         * Whether the node of {@code actor} proved (by its TLS certificate, when this node dialed it) to be another
         * host than {@code host}: a member may register an actor under any key, but kernel work for a host goes
         * only to that host's node.
         */
        private boolean provedOtherHost(ActorRef<?> actor, String host) {
            Address address = actor.path().address();
            if (address.hasLocalScope() || address.host().isEmpty() || address.port().isEmpty()) {
                return false;
            }
            Optional<String> proved = dev.netkeeper.identity.VerifiedHosts.of(Adapter.toClassic(ctx.getSystem()))
                    .hostAt(address.host().get(), (Integer) address.port().get());
            if (proved.isPresent() && !proved.get().equals(host)) {
                ctx.getLog().error("ignored the netlink actor {} registered for host {}: its node proved to be host {}",
                        actor.path(), host, proved.get());
                return true;
            }
            return false;
        }

        /** The actor's node is up ({@link HostLiveness}). */
        private boolean usable(ActorRef<?> actor) {
            Address address = actor.path().address();
            if (address.hasLocalScope()) {
                return true;
            }
            ClusterEvent.CurrentClusterState state = Cluster.get(ctx.getSystem()).state();
            for (Member m : state.getMembers()) {
                if (m.address().equals(address)) {
                    return HostLiveness.isUp(m, state);
                }
            }
            return false;
        }

        private void deliver(String host, List<ActorRef<NetlinkActor.Command>> listed, NetlinkActor.Command c) {
            Optional<ActorRef<NetlinkActor.Command>> actor = listed.stream().filter(this::usable).findFirst();
            if (actor.isPresent()) {
                actor.get().tell(c instanceof NetlinkActor.Execute ex ? relayed(host, ex) : c);
                return;
            }
            StatusReply<?> refusal = StatusReply.error(unavailable(host).toWire());
            if (c instanceof NetlinkActor.Execute ex) {
                ex.replyTo().tell(cast(refusal));
            } else if (c instanceof NetlinkActor.ListHostRoutes q) {
                q.replyTo().tell(cast(refusal));
            } else if (c instanceof NetlinkActor.ClaimPorts q && q.replyTo() != null) {
                q.replyTo().tell(cast(refusal));
            }
        }

        /** The same work, answered through a relay that is told if the host is lost first. */
        private NetlinkActor.Execute relayed(String host, NetlinkActor.Execute ex) {
            ActorRef<Object> relay = inFlight.open(host, ex.replyTo());
            @SuppressWarnings("unchecked")
            ActorRef<StatusReply<Done>> replyTo = (ActorRef<StatusReply<Done>>) (ActorRef<?>) relay;
            return new NetlinkActor.Execute(ex.task(), replyTo);
        }

        @SuppressWarnings("unchecked")
        private static <T> StatusReply<T> cast(StatusReply<?> error) {
            return (StatusReply<T>) error;
        }
    }

    /**
     * Asks {@code router} to run {@code tasks}, in order, on {@code host} (null: this node's host); done
     * at once when there are none. Fails with the netlink actor's typed error (or HOST_UNAVAILABLE).
     */
    public static CompletableFuture<Done> run(ActorRef<Command> router, String host, List<KernelTask> tasks,
                                              Duration timeout, Scheduler scheduler) {
        if (tasks.isEmpty()) {
            return CompletableFuture.completedFuture(Done.getInstance());
        }
        KernelTask task = tasks.size() == 1 ? tasks.get(0) : new TaskSequence(tasks);
        return AskPattern.<Command, Done>askWithStatus(router,
                replyTo -> new OnHost(host, new NetlinkActor.Execute(task, replyTo)), timeout, scheduler)
                .toCompletableFuture();
    }

    public static NetkeeperException unavailable(String host) {
        return new NetkeeperException(ErrorCode.HOST_UNAVAILABLE, "host " + host
                + " is unavailable: no reachable agent of that host is in the cluster");
    }
}
