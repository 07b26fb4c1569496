package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cluster-wide register of network names and their subnets (one entity, id {@value #ID}): it
 * refuses overlapping subnets and carves default subnets out of the configured pools, away from
 * other networks and the host's routes. A reservation is made before the network journals its
 * creation and is idempotent per name, so a retried create gets the same subnets.
 */
public final class NetworkDirectory
        extends EventSourcedBehavior<NetworkDirectory.Command, NetworkDirectory.Event, NetworkDirectory.State> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "NetworkDirectory");
    public static final String ID = "directory";
    static final int SNAPSHOT_EVERY = 100;

    public interface Command extends CborSerializable {}

    /** {@code subnet} null: carve one from the pools; {@code subnetIPv6} null: none. */
    public record Reserve(String name, String subnet, String subnetIPv6, boolean ipv4, List<String> avoid,
                          Audit audit, ActorRef<StatusReply<Reservation>> replyTo) implements Command {}

    public record Release(String name, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    public record ListAll(ActorRef<StatusReply<Listing>> replyTo) implements Command {}

    /** Whether a network of that name is reserved (exists, or is being created). */
    public record Lookup(String name, ActorRef<LookedUp> replyTo) implements Command {}

    public record LookedUp(String name, boolean reserved) implements CborSerializable {}

    public record Listing(List<Reservation> networks) implements CborSerializable {}

    public sealed interface Event extends CborSerializable {}

    public record Reserved(Reservation reservation, Audit audit) implements Event {}

    public record Released(String name, Audit audit) implements Event {}

    public record State(Map<String, Reservation> byName) implements CborSerializable {}

    private final List<PoolSpec> pools;
    private final Quotas quotas;

    private NetworkDirectory(List<PoolSpec> pools, Quotas quotas) {
        super(PersistenceId.of(TYPE_KEY.name(), ID));
        this.pools = List.copyOf(pools);
        this.quotas = quotas;
    }

    public static Behavior<Command> create(List<PoolSpec> pools, Quotas quotas) {
        return new NetworkDirectory(pools, quotas);
    }

    @Override
    public State emptyState() {
        return new State(Map.of());
    }

    /** A snapshot every {@value #SNAPSHOT_EVERY} reservations or releases: recovery replays at most that many. */
    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Reserve.class, this::onReserve)
                .onCommand(Release.class, (state, r) -> {
                    if (!state.byName().containsKey(r.name())) {
                        return Effect().reply(r.replyTo(), StatusReply.ack());
                    }
                    return Effect().persist(new Released(r.name(), r.audit()))
                            .thenReply(r.replyTo(), s -> StatusReply.ack());
                })
                .onCommand(Lookup.class, (state, l) -> Effect().reply(l.replyTo(),
                        new LookedUp(l.name(), state.byName().containsKey(l.name()))))
                .onCommand(ListAll.class, (state, l) -> Effect().reply(l.replyTo(),
                        StatusReply.success(new Listing(List.copyOf(state.byName().values())))))
                .build();
    }

    private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Event, State> onReserve(State state, Reserve r) {
        Reservation existing = state.byName().get(r.name());
        if (existing != null) {
            return Effect().reply(r.replyTo(), StatusReply.success(existing));
        }
        try {
            Quotas.check(state.byName().size(), quotas.networks(), "network " + r.name() + " would be one too many");
            List<Cidr> taken = new ArrayList<>();
            state.byName().values().forEach(res -> {
                if (res.subnet() != null) taken.add(Cidr.parse(res.subnet()));
                if (res.subnetIPv6() != null) taken.add(Cidr.parse(res.subnetIPv6()));
            });
            String v4 = null;
            if (r.ipv4()) {
                v4 = r.subnet() != null ? checkFree(r.name(), Cidr.parse(r.subnet()), state).toString()
                        : carve(taken, r.avoid()).toString();
            }
            String v6 = r.subnetIPv6() == null ? null : checkFree(r.name(), Cidr.parse(r.subnetIPv6()), state).toString();
            Reservation reservation = new Reservation(r.name(), v4, v6);
            return Effect().persist(new Reserved(reservation, r.audit()))
                    .thenReply(r.replyTo(), s -> StatusReply.success(reservation));
        } catch (NetkeeperException e) {
            return Effect().reply(r.replyTo(), StatusReply.error(e.toWire()));
        }
    }

    private static Cidr checkFree(String name, Cidr wanted, State state) {
        for (Reservation other : state.byName().values()) {
            for (String s : new String[] {other.subnet(), other.subnetIPv6()}) {
                if (s != null && Cidr.parse(s).overlaps(wanted)) {
                    throw new NetkeeperException(ErrorCode.SUBNET_OVERLAP, "subnet " + wanted + " of network "
                            + name + " overlaps " + s + " of network " + other.name());
                }
            }
        }
        return wanted;
    }

    private Cidr carve(List<Cidr> taken, List<String> avoid) {
        List<Cidr> blocked = new ArrayList<>(taken);
        avoid.forEach(a -> {
            try {
                blocked.add(Cidr.parse(a));
            } catch (IllegalArgumentException ignored) {
                // a host route with host bits set is not a subnet worth avoiding
            }
        });
        for (PoolSpec pool : pools) {
            Cidr base = Cidr.parse(pool.base());
            BigInteger step = BigInteger.ONE.shiftLeft(base.bits() - pool.size());
            for (BigInteger at = base.base(); base.contains(at); at = at.add(step)) {
                Cidr candidate = Cidr.of(Cidr.toInet(at, base.ipv4()), pool.size());
                if (blocked.stream().noneMatch(candidate::overlaps)) {
                    return candidate;
                }
            }
        }
        throw new NetkeeperException(ErrorCode.POOL_EXHAUSTED,
                "no free subnet left in the default address pools " + pools);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Reserved.class, (s, e) -> {
                    Map<String, Reservation> next = new TreeMap<>(s.byName());
                    next.put(e.reservation().name(), e.reservation());
                    return new State(next);
                })
                .onEvent(Released.class, (s, e) -> {
                    Map<String, Reservation> next = new TreeMap<>(s.byName());
                    next.remove(e.name());
                    return new State(next);
                })
                .build();
    }
}
