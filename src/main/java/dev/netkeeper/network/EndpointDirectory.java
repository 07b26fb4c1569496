package dev.netkeeper.network;

import dev.netkeeper.kernel.CborSerializable;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which network and endpoint a container interface (by srcName) belongs to, so that a namespace on any
 * host can take an Interface value and find its owner. Cluster-wide: Distributed Data maps, one per
 * bucket of srcNames, written by the network entities (a link writes to a majority before its kernel
 * work, so a namespace on another node finds it; a network re-registers all of its endpoints when it
 * wakes). A lookup reads the local replica first and asks a majority only when it is missing there.
 */
public final class EndpointDirectory {
    static final int BUCKETS = 16;

    public interface Command extends CborSerializable {}

    /** {@code replyTo} (may be null) hears Done once a majority of the nodes has the entry. */
    public record Register(String srcName, String network, String endpoint, ActorRef<Done> replyTo)
            implements Command {
        public Register(String srcName, String network, String endpoint) {
            this(srcName, network, endpoint, null);
        }
    }

    /** Many at once (a network waking up), written locally and spread by gossip. */
    public record RegisterAll(List<Register> entries) implements Command {
        public RegisterAll {
            entries = List.copyOf(entries);
        }
    }

    public record Unregister(String srcName) implements Command {}

    public record Lookup(String srcName, ActorRef<Found> replyTo) implements Command {}

    /** Empty when no network of the cluster linked that interface. */
    public record Found(Optional<Owner> owner) implements CborSerializable {}

    public record Owner(String network, String endpoint) implements CborSerializable {}

    private record Written(Replicator.UpdateResponse<LWWMap<String, Owner>> response, ActorRef<Done> replyTo)
            implements Command {}

    private record Read(Lookup lookup, boolean majority, Replicator.GetResponse<LWWMap<String, Owner>> response)
            implements Command {}

    private EndpointDirectory() {}

    static Key<LWWMap<String, Owner>> bucket(String srcName) {
        return LWWMapKey.create("endpoints-" + Math.floorMod(srcName.hashCode(), BUCKETS));
    }

    public static Behavior<Command> create(Duration timeout) {
        // supervised: a failure on one message restarts the directory (its data lives in the replicator)
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, LWWMap<String, Owner>> replicator) -> {
                    SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
                    Replicator.WriteConsistency majority = new Replicator.WriteMajority(timeout);
                    return Behaviors.receive(Command.class)
                            .onMessage(Register.class, r -> {
                                replicator.askUpdate(replyTo -> new Replicator.Update<>(bucket(r.srcName()),
                                        LWWMap.empty(), majority, replyTo,
                                        m -> m.put(self, r.srcName(), new Owner(r.network(), r.endpoint()))),
                                        rsp -> new Written(rsp, r.replyTo()));
                                return Behaviors.same();
                            })
                            .onMessage(RegisterAll.class, all -> {
                                Map<Key<LWWMap<String, Owner>>, Map<String, Owner>> byBucket = new HashMap<>();
                                for (Register r : all.entries()) {
                                    byBucket.computeIfAbsent(bucket(r.srcName()), k -> new HashMap<>())
                                            .put(r.srcName(), new Owner(r.network(), r.endpoint()));
                                }
                                byBucket.forEach((key, entries) -> replicator.askUpdate(replyTo ->
                                        new Replicator.Update<>(key, LWWMap.empty(), Replicator.writeLocal(), replyTo,
                                                m -> {
                                                    LWWMap<String, Owner> next = m;
                                                    for (Map.Entry<String, Owner> e : entries.entrySet()) {
                                                        if (!e.getValue().equals(next.getEntries().get(e.getKey()))) {
                                                            next = next.put(self, e.getKey(), e.getValue());
                                                        }
                                                    }
                                                    return next;
                                                }), rsp -> new Written(rsp, null)));
                                return Behaviors.same();
                            })
                            .onMessage(Unregister.class, u -> {
                                replicator.askUpdate(replyTo -> new Replicator.Update<>(bucket(u.srcName()),
                                        LWWMap.empty(), majority, replyTo, m -> m.remove(self, u.srcName())),
                                        rsp -> new Written(rsp, null));
                                return Behaviors.same();
                            })
                            .onMessage(Lookup.class, l -> {
                                get(replicator, l, false, timeout);
                                return Behaviors.same();
                            })
                            .onMessage(Read.class, r -> {
                                Optional<Owner> owner = r.response() instanceof Replicator.GetSuccess<LWWMap<String, Owner>> ok
                                        ? Optional.ofNullable(ok.get(bucket(r.lookup().srcName())).getEntries()
                                                .get(r.lookup().srcName()))
                                        : Optional.empty();
                                if (owner.isEmpty() && !r.majority()) {
                                    get(replicator, r.lookup(), true, timeout); // not here yet: ask a majority
                                } else {
                                    r.lookup().replyTo().tell(new Found(owner));
                                }
                                return Behaviors.same();
                            })
                            .onMessage(Written.class, w -> {
                                if (!(w.response() instanceof Replicator.UpdateSuccess)) {
                                    // written locally all the same; gossip spreads it
                                    ctx.getLog().warn("endpoint directory write not confirmed by a majority: {}",
                                            w.response());
                                }
                                if (w.replyTo() != null) {
                                    w.replyTo().tell(Done.getInstance());
                                }
                                return Behaviors.same();
                            })
                            .build();
                }))).onFailure(SupervisorStrategy.restart());
    }

    private static void get(ReplicatorMessageAdapter<Command, LWWMap<String, Owner>> replicator, Lookup l,
                            boolean majority, Duration timeout) {
        Replicator.ReadConsistency consistency = majority
                ? new Replicator.ReadMajority(timeout) : Replicator.readLocal();
        replicator.askGet(replyTo -> new Replicator.Get<>(bucket(l.srcName()), consistency, replyTo),
                rsp -> new Read(l, majority, rsp));
    }
}
