package dev.netkeeper.overlay;

import dev.netkeeper.audit.TagFollower;
import dev.netkeeper.kernel.KernelRouter;
import dev.netkeeper.kernel.VxlanPeers;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Keeps this host's VXLAN devices equal to the cluster's endpoints: every overlay network's state folded from the
 * journal (all hosts' endpoints, as they come and go), each host's underlay address from its members' roles (kept
 * once seen: a host that is away still owns its endpoints' MACs), and for each overlay network with kernel state
 * here one {@link VxlanPeers} task to this host's netlink actor. Run after each change of the journal (and once
 * more shortly after, for a device its network is making right now) and every {@link #EVERY}, which also puts back
 * entries someone removed and programs a device made again.
 */
public final class OverlayPeers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverlayPeers.class);
    static final Duration EVERY = Duration.ofSeconds(2);
    private static final Duration AGAIN = Duration.ofMillis(300);

    private final ActorSystem<?> system;
    private final String host;
    private final ActorRef<KernelRouter.Command> kernels;
    private final Duration timeout;
    /** One thread folds and converges: the states are touched nowhere else. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "overlay-peers");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, NetworkState> networks = new HashMap<>();
    private final Map<String, String> underlays = new HashMap<>();
    /** What each network's device was last told successfully (told again only when it changes, or on the tick). */
    private final Map<String, VxlanPeers> told = new HashMap<>();
    /** A converge is waiting in the worker's queue / a second one is scheduled: changes meanwhile need no other. */
    private boolean convergeQueued;
    private boolean againScheduled;
    private final UniqueKillSwitch feed;
    private final Cancellable tick;

    private OverlayPeers(ActorSystem<?> system, String host, ActorRef<KernelRouter.Command> kernels, Duration timeout) {
        this.system = system;
        this.host = host;
        this.kernels = kernels;
        this.timeout = timeout;
        String prefix = NetworkEntity.TYPE_KEY.name() + PersistenceId.DefaultSeparator();
        this.feed = TagFollower.follow(system, NetworkEntity.TAG, env -> {
            if (env.persistenceId().startsWith(prefix) && env.event() instanceof NetworkEvent e) {
                String network = env.persistenceId().substring(prefix.length());
                worker.execute(() -> changed(network, e));
            }
        });
        this.tick = system.scheduler().scheduleWithFixedDelay(EVERY, EVERY, () -> worker.execute(() -> converge(true)),
                system.executionContext());
    }

    public static OverlayPeers start(ActorSystem<?> system, String host, ActorRef<KernelRouter.Command> kernels,
                                     Duration timeout) {
        return new OverlayPeers(system, host, kernels, timeout);
    }

    private void changed(String network, NetworkEvent event) {
        NetworkState next = networks.getOrDefault(network, NetworkState.EMPTY).apply(event);
        if (next.exists()) {
            networks.put(network, next);
        } else {
            networks.remove(network);
            told.remove(network);
        }
        // one converge after the events queued so far (a start replays the whole journal), and one more shortly after
        if (!convergeQueued) {
            convergeQueued = true;
            worker.execute(() -> {
                convergeQueued = false;
                converge(false);
            });
        }
        if (!againScheduled) {
            againScheduled = true;
            system.scheduler().scheduleOnce(AGAIN, () -> worker.execute(() -> {
                againScheduled = false;
                converge(true);
            }), system.executionContext());
        }
    }

    /** {@code all}: every device is told, changed or not. */
    private void converge(boolean all) {
        learnUnderlays();
        for (NetworkState state : networks.values()) {
            Optional<VxlanPeers> wanted = PeerPlan.of(state, host, underlays);
            if (wanted.isEmpty() || (!all && wanted.get().equals(told.get(state.config().name())))) {
                continue;
            }
            VxlanPeers task = wanted.get();
            String network = state.config().name();
            KernelRouter.run(kernels, host, List.of(task), timeout, system.scheduler()).whenComplete((done, err) -> {
                if (err == null) {
                    worker.execute(() -> told.put(network, task));
                } else {
                    log.warn("overlay network {}: the vxlan device's peers could not be set: {}", network, err.getMessage());
                }
            });
        }
    }

    /** Every member's underlay role, by its host role; an address once seen is kept while the host is away. */
    private void learnUnderlays() {
        for (Member m : Cluster.get(system).state().getMembers()) {
            String memberHost = null;
            String address = null;
            for (String role : m.getRoles()) {
                memberHost = memberHost != null ? memberHost : dev.netkeeper.kernel.HostLiveness.hostOf(role);
                address = address != null ? address : UnderlayRole.addressOf(role).orElse(null);
            }
            if (memberHost != null && address != null) {
                underlays.put(memberHost, address);
            }
        }
    }

    @Override
    public void close() {
        tick.cancel();
        feed.shutdown();
        worker.shutdownNow();
    }
}
