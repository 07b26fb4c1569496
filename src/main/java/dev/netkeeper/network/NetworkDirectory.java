package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.PoolAddress;
import dev.netkeeper.api.PoolLease;
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

    /**
     * {@code subnet} null: carve one from the pools; {@code subnetIPv6} null: none. {@code adoptsPool}: the network (a
     * runtime's) adopts an outside IPAM's pool of exactly its subnet (the pool's addresses are that IPAM's to hand out).
     * {@code segment}: the network spans hosts and gets a VNI of its own.
     */
    public record Reserve(String name, String subnet, String subnetIPv6, boolean ipv4, List<String> avoid,
                          boolean adoptsPool, boolean segment, Audit audit, ActorRef<StatusReply<Reservation>> replyTo)
            implements Command {
        public Reserve(String name, String subnet, String subnetIPv6, boolean ipv4, List<String> avoid, Audit audit,
                       ActorRef<StatusReply<Reservation>> replyTo) {
            this(name, subnet, subnetIPv6, ipv4, avoid, false, false, audit, replyTo);
        }
    }

    /**
     * VNIs handed to networks: from 4096 (Docker's overlay starts there too, below is left to hand-made segments) to
     * 2^24 - 1, the largest a VXLAN header carries (RFC 7348 §5).
     */
    static final int FIRST_VNI = 4096;
    static final int LAST_VNI = (1 << 24) - 1;

    /** An outside IPAM's pool ({@link ExternalPools}): {@code subnet} null carves one away from {@code avoid}. */
    public record ReservePool(String subnet, String subPool, boolean ipv6, List<String> avoid, Audit audit,
                              ActorRef<StatusReply<PoolLease>> replyTo) implements Command {}

    public record ReleasePool(String poolId, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    public record ReserveAddress(String poolId, String address, boolean gateway, Audit audit,
                                 ActorRef<StatusReply<PoolAddress>> replyTo) implements Command {}

    public record ReleaseAddress(String poolId, String address, Audit audit, ActorRef<StatusReply<Done>> replyTo)
            implements Command {}

    public record Release(String name, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    public record ListAll(ActorRef<StatusReply<Listing>> replyTo) implements Command {}

    /** Whether a network of that name is reserved (exists, or is being created). */
    public record Lookup(String name, ActorRef<LookedUp> replyTo) implements Command {}

    public record LookedUp(String name, boolean reserved) implements CborSerializable {}

    public record Listing(List<Reservation> networks) implements CborSerializable {}

    public sealed interface Event extends CborSerializable {}

    public record Reserved(Reservation reservation, Audit audit) implements Event {}

    public record Released(String name, Audit audit) implements Event {}

    /** What happens to the outside IPAM's pools: journaled in the directory, so that they never overlap a network. */
    public sealed interface PoolEvent extends Event {
        String poolId();

        Audit audit();
    }

    /** One more hold on the pool (the first one makes it). */
    public record PoolReserved(String poolId, String subnet, String subPool, Audit audit) implements PoolEvent {}

    /** One hold less (the last one removes it with its addresses). */
    public record PoolReleased(String poolId, Audit audit) implements PoolEvent {}

    /** {@code address} without its prefix length. */
    public record PoolAddressReserved(String poolId, String address, boolean gateway, Audit audit) implements PoolEvent {}

    public record PoolAddressReleased(String poolId, String address, Audit audit) implements PoolEvent {}

    public record State(Map<String, Reservation> byName, ExternalPools pools) implements CborSerializable {
        public State {
            pools = pools == null ? ExternalPools.NONE : pools; // a snapshot from before pools existed
        }
    }

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
        return new State(Map.of(), ExternalPools.NONE);
    }

    /**
     * The pools' events are read by the audit with the networks' (the same tag): what an outside IPAM reserved is
     * part of the networks' trail. Reservations of names are not (the network journals its own creation).
     */
    @Override
    public java.util.Set<String> tagsFor(Event event) {
        return event instanceof PoolEvent ? java.util.Set.of(NetworkEntity.TAG) : java.util.Set.of();
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
                .onCommand(ReservePool.class, this::onReservePool)
                .onCommand(ReleasePool.class, (state, r) -> state.pools().byId().containsKey(r.poolId())
                        ? Effect().persist(new PoolReleased(r.poolId(), r.audit())).thenReply(r.replyTo(), s -> StatusReply.ack())
                        : Effect().reply(r.replyTo(), StatusReply.ack()))
                .onCommand(ReserveAddress.class, this::onReserveAddress)
                .onCommand(ReleaseAddress.class, (state, r) -> state.pools().holds(r.poolId(), r.address())
                        ? Effect().persist(new PoolAddressReleased(r.poolId(), ExternalPools.hostAddress(r.address()),
                                r.audit())).thenReply(r.replyTo(), s -> StatusReply.ack())
                        : Effect().reply(r.replyTo(), StatusReply.ack()))
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
            String v4 = null;
            String network = "network " + r.name();
            if (r.ipv4()) {
                v4 = r.subnet() != null ? checkFree(network, Cidr.parse(r.subnet()), state, r.adoptsPool()).toString()
                        : carve(takenSubnets(state), r.avoid(), true).toString();
            }
            String v6 = r.subnetIPv6() == null ? null
                    : checkFree(network, Cidr.parse(r.subnetIPv6()), state, r.adoptsPool()).toString();
            Reservation reservation = new Reservation(r.name(), v4, v6, r.segment() ? freeVni(state) : 0);
            return Effect().persist(new Reserved(reservation, r.audit()))
                    .thenReply(r.replyTo(), s -> StatusReply.success(reservation));
        } catch (NetkeeperException e) {
            return Effect().reply(r.replyTo(), StatusReply.error(e.toWire()));
        }
    }

    /** The same pool and sub-pool again: held once more; otherwise a new one that overlaps nothing. */
    private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Event, State> onReservePool(State state, ReservePool r) {
        try {
            String subnet;
            if (r.subnet() != null) {
                Cidr wanted = ExternalPools.subnet(r.subnet(), r.subPool(), r.ipv6());
                String id = ExternalPools.id(wanted.toString(), r.subPool());
                if (state.pools().byId().containsKey(id)) {
                    return Effect().persist(new PoolReserved(id, wanted.toString(), r.subPool(), r.audit()))
                            .thenReply(r.replyTo(), s -> StatusReply.success(new PoolLease(id, wanted.toString())));
                }
                subnet = checkFree("pool " + id, wanted, state, false).toString();
            } else {
                if (r.subPool() != null) {
                    throw new NetkeeperException(ErrorCode.INVALID_OPTION, "a sub-pool (" + r.subPool()
                            + ") needs the pool it is part of");
                }
                List<Cidr> taken = new ArrayList<>(takenSubnets(state));
                subnet = carve(taken, r.avoid(), !r.ipv6()).toString();
            }
            String id = ExternalPools.id(subnet, r.subPool());
            return Effect().persist(new PoolReserved(id, subnet, r.subPool(), r.audit()))
                    .thenReply(r.replyTo(), s -> StatusReply.success(new PoolLease(id, subnet)));
        } catch (NetkeeperException e) {
            return Effect().reply(r.replyTo(), StatusReply.error(e.toWire()));
        }
    }

    private org.apache.pekko.persistence.typed.javadsl.ReplyEffect<Event, State> onReserveAddress(State state,
                                                                                                 ReserveAddress r) {
        try {
            String address = state.pools().pick(r.poolId(), r.address());
            String host = ExternalPools.hostAddress(address);
            return Effect().persist(new PoolAddressReserved(r.poolId(), host, r.gateway(), r.audit()))
                    .thenReply(r.replyTo(), s -> StatusReply.success(new PoolAddress(r.poolId(), address)));
        } catch (NetkeeperException e) {
            return Effect().reply(r.replyTo(), StatusReply.error(e.toWire()));
        }
    }

    /**
     * The lowest VNI no network holds. The directory is one entity: reservations are taken one after another, so two
     * networks created at once never get the same one, on any host.
     */
    private static int freeVni(State state) {
        java.util.BitSet taken = new java.util.BitSet();
        state.byName().values().forEach(res -> {
            if (res.vni() > 0) {
                taken.set(res.vni());
            }
        });
        int vni = taken.nextClearBit(FIRST_VNI);
        if (vni > LAST_VNI) {
            throw new NetkeeperException(ErrorCode.POOL_EXHAUSTED, "no free VNI left (" + FIRST_VNI + " to " + LAST_VNI + ")");
        }
        return vni;
    }

    private static List<Cidr> takenSubnets(State state) {
        List<Cidr> taken = new ArrayList<>();
        state.byName().values().forEach(res -> {
            if (res.subnet() != null) taken.add(Cidr.parse(res.subnet()));
            if (res.subnetIPv6() != null) taken.add(Cidr.parse(res.subnetIPv6()));
        });
        state.pools().byId().values().forEach(p -> taken.add(Cidr.parse(p.subnet())));
        return taken;
    }

    /**
     * {@code wanted} when no network (and no pool) overlaps it; {@code adoptsPool}: a pool of exactly that subnet is
     * the network's own (an outside IPAM's pool the network is made on).
     */
    private static Cidr checkFree(String name, Cidr wanted, State state, boolean adoptsPool) {
        for (ExternalPool pool : state.pools().byId().values()) {
            Cidr theirs = Cidr.parse(pool.subnet());
            if (theirs.overlaps(wanted) && !(adoptsPool && theirs.equals(wanted))) {
                throw new NetkeeperException(ErrorCode.SUBNET_OVERLAP, "subnet " + wanted + " of " + name
                        + " overlaps " + pool.subnet() + " of address pool " + pool.id());
            }
        }
        for (Reservation other : state.byName().values()) {
            for (String s : new String[] {other.subnet(), other.subnetIPv6()}) {
                if (s != null && Cidr.parse(s).overlaps(wanted)) {
                    throw new NetkeeperException(ErrorCode.SUBNET_OVERLAP, "subnet " + wanted + " of " + name
                            + " overlaps " + s + " of network " + other.name());
                }
            }
        }
        return wanted;
    }

    /** The first subnet of a default pool of the family ({@code ipv4}) that overlaps nothing taken or avoided. */
    private Cidr carve(List<Cidr> taken, List<String> avoid, boolean ipv4) {
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
            if (base.ipv4() != ipv4) {
                continue;
            }
            BigInteger step = BigInteger.ONE.shiftLeft(base.bits() - pool.size());
            for (BigInteger at = base.base(); base.contains(at); at = at.add(step)) {
                Cidr candidate = Cidr.of(Cidr.toInet(at, base.ipv4()), pool.size());
                if (blocked.stream().noneMatch(candidate::overlaps)) {
                    return candidate;
                }
            }
        }
        throw new NetkeeperException(ErrorCode.POOL_EXHAUSTED, "no free " + (ipv4 ? "IPv4" : "IPv6")
                + " subnet left in the default address pools " + pools);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Reserved.class, (s, e) -> {
                    Map<String, Reservation> next = new TreeMap<>(s.byName());
                    next.put(e.reservation().name(), e.reservation());
                    return new State(next, s.pools());
                })
                .onEvent(Released.class, (s, e) -> {
                    Map<String, Reservation> next = new TreeMap<>(s.byName());
                    next.remove(e.name());
                    return new State(next, s.pools());
                })
                .onEvent(PoolEvent.class, (s, e) -> new State(s.byName(), s.pools().apply(e)))
                .build();
    }
}
