package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.firewall.HostFirewall;
import dev.netkeeper.firewall.NftException;
import dev.netkeeper.firewall.PortRange;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.KernelException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.pattern.StatusReply;

import dev.netkeeper.netlink.nl.Rtnetlink;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single owner of the host's netlink sockets: every kernel mutation of this host goes through
 * here, one at a time, on a pinned platform thread (setns and sockets are per thread). Replies
 * {@code StatusReply<Done>}; a refusal carries a typed {@link NetkeeperException} text.
 */
public final class NetlinkActor {
    /** Dispatcher with one dedicated thread, configured in application.conf. */
    public static final String DISPATCHER = "netkeeper.netlink-dispatcher";

    public interface Command extends CborSerializable {}

    public record Execute(KernelTask task, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /**
     * The destinations of the host's routes, IPv4 and IPv6, default routes excluded, and the host's own
     * addresses (with their prefix length), both without those of netkeeper's own links: what a network's
     * subnet must not collide with (IPAM).
     */
    public record ListHostRoutes(ActorRef<StatusReply<HostRoutes>> replyTo) implements Command {}

    /** {@code underlay}: the host's underlay address and its link's MTU, null when the host has none configured. */
    public record HostRoutes(List<String> destinations, List<String> addresses, Underlay underlay)
            implements CborSerializable {
        public HostRoutes {
            destinations = List.copyOf(destinations);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public HostRoutes(List<String> destinations, List<String> addresses) {
            this(destinations, addresses, null);
        }

        public HostRoutes(List<String> destinations) {
            this(destinations, List.of());
        }
    }

    /**
     * Takes host ports for an endpoint before its network journals them (see {@link HostFirewall#claim}); answers the
     * mappings with their host ports chosen. Held until the host's firewall has settled after a start.
     */
    public record ClaimPorts(String network, String endpoint, List<PortMapping> ports,
                             ActorRef<StatusReply<ClaimedPorts>> replyTo) implements Command {}

    public record ClaimedPorts(List<PortMapping> ports) implements CborSerializable {
        public ClaimedPorts {
            ports = List.copyOf(ports);
        }
    }

    /** Every network has converged this host since the agent started: the firewall table becomes exactly theirs. */
    public record SettleFirewall() implements Command {}

    /** Timer: is the firewall table as we left it? */
    private record CheckFirewall() implements Command {}

    /** How the host's firewall is run: where it picks ports, how often it looks for tampering. */
    public record FirewallSettings(PortRange portRange, Duration checkEvery, boolean acceptInForeignForward) {
        public static final FirewallSettings DEFAULT = new FirewallSettings(PortRange.DEFAULT, Duration.ofSeconds(10), false);
    }

    /** What is wrong around the host's firewall table that the agent cannot fix alone (see HostFirewall#warnings). */
    public record FirewallWarnings(ActorRef<StatusReply<Warnings>> replyTo) implements Command {}

    public record Warnings(List<String> warnings) implements CborSerializable {
        public Warnings {
            warnings = List.copyOf(warnings);
        }
    }

    private NetlinkActor() {}

    private static final String KEY_PREFIX = "netlink-";

    /** The Receptionist key under which host {@code hostId}'s actor registers. */
    public static ServiceKey<Command> key(String hostId) {
        return ServiceKey.create(Command.class, KEY_PREFIX + hostId);
    }

    /** The host whose actor registers under {@code key}. */
    public static String hostOf(ServiceKey<?> key) {
        return key.id().substring(KEY_PREFIX.length());
    }

    public static DispatcherSelector dispatcher() {
        return DispatcherSelector.fromConfig(DISPATCHER);
    }

    /**
     * Supervised: a failure restarts it with fresh sockets (the old ones closed), so that no message can
     * leave the host without its netlink actor. A request without a reply-to is dropped and logged.
     */
    public static Behavior<Command> create(Optional<Path> hostNamespace) {
        return create(hostNamespace, KernelContext.DEFAULT_ROOTS);
    }

    /** {@code namespaceRoots}: where namespaces are made and removed (beneath them only). */
    public static Behavior<Command> create(Optional<Path> hostNamespace, List<Path> namespaceRoots) {
        return create(hostNamespace, namespaceRoots, FirewallSettings.DEFAULT);
    }

    public static Behavior<Command> create(Optional<Path> hostNamespace, List<Path> namespaceRoots,
                                           FirewallSettings firewall) {
        return create(hostNamespace, namespaceRoots, firewall, Optional.empty());
    }

    /** {@code underlay}: this host's underlay address (netkeeper.overlay.underlay-address), for overlay networks. */
    public static Behavior<Command> create(Optional<Path> hostNamespace, List<Path> namespaceRoots,
                                           FirewallSettings firewall, Optional<java.net.InetAddress> underlay) {
        HostFirewall[] kept = new HostFirewall[1]; // across restarts of the actor (see KernelContext#releaseFirewall)
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> Behaviors.withTimers(timers -> {
            KernelContext kernel = KernelContext.open(hostNamespace, namespaceRoots, firewall.portRange(),
                    firewall.acceptInForeignForward());
            kernel.setUnderlay(underlay);
            if (kept[0] != null) {
                kernel.adoptFirewall(kept[0]);
                kept[0] = null;
            }
            List<ClaimPorts> held = new ArrayList<>();
            timers.startTimerWithFixedDelay(new CheckFirewall(), firewall.checkEvery());
            return Behaviors.receive(Command.class)
                    .onMessage(ClaimPorts.class, c -> {
                        if (c.replyTo() == null) {
                            return Behaviors.same();
                        }
                        if (!kernel.firewallOpen() || !kernel.firewall().settled()) {
                            held.add(c); // until the networks have told the firewall what is published already
                        } else {
                            c.replyTo().tell(claim(kernel, c));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(FirewallWarnings.class, w -> {
                        if (w.replyTo() != null) {
                            w.replyTo().tell(StatusReply.success(new Warnings(kernel.firewallOpen()
                                    ? kernel.firewall().warnings() : List.of())));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(SettleFirewall.class, s -> {
                        try {
                            kernel.firewall().settle();
                        } catch (RuntimeException e) {
                            ctx.getLog().error("the firewall table could not be settled: {}", e.getMessage());
                        }
                        held.forEach(c -> c.replyTo().tell(kernel.firewallOpen() && kernel.firewall().settled()
                                ? claim(kernel, c) : firewallDown()));
                        held.clear();
                        return Behaviors.same();
                    })
                    .onMessage(CheckFirewall.class, t -> {
                        if (kernel.firewallOpen()) {
                            try {
                                kernel.firewall().check();
                            } catch (RuntimeException e) {
                                ctx.getLog().warn("the firewall table could not be checked: {}", e.getMessage());
                            }
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Execute.class, ex -> {
                        if (ex.replyTo() == null) {
                            ctx.getLog().warn("dropped kernel work with nobody to answer: {}", ex.task());
                        } else {
                            ex.replyTo().tell(execute(kernel, ex.task()));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(ListHostRoutes.class, q -> {
                        if (q.replyTo() != null) {
                            q.replyTo().tell(hostRoutes(kernel));
                        }
                        return Behaviors.same();
                    })
                    .onSignal(PreRestart.class, restart -> {
                        kept[0] = kernel.releaseFirewall();
                        kernel.close();
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        kernel.close();
                        return Behaviors.same();
                    })
                    .build();
        }))).onFailure(SupervisorStrategy.restart());
    }

    private static StatusReply<ClaimedPorts> claim(KernelContext kernel, ClaimPorts c) {
        try {
            return StatusReply.success(new ClaimedPorts(kernel.firewall().claim(c.network(), c.endpoint(), c.ports())));
        } catch (NetkeeperException e) {
            return e.toReply();
        } catch (RuntimeException e) {
            return new NetkeeperException(ErrorCode.KERNEL, "claiming host ports: " + e.getMessage()).toReply();
        }
    }

    private static <T> StatusReply<T> firewallDown() {
        return new NetkeeperException(ErrorCode.KERNEL, "the host's firewall table could not be made (see the agent's"
                + " log): no port can be published").toReply();
    }

    static StatusReply<HostRoutes> hostRoutes(KernelContext kernel) {
        try {
            // netkeeper's own bridges do not count: overlaps with its networks are the directory's to name
            java.util.Set<Integer> ours = new java.util.HashSet<>();
            kernel.host().links().list().stream().filter(LinkMark::isOurs).forEach(l -> ours.add(l.index()));
            List<String> out = new ArrayList<>();
            for (int family : new int[] {Rtnetlink.AF_INET, Rtnetlink.AF_INET6}) {
                kernel.host().routes().list(family).stream().filter(r -> !ours.contains(r.linkIndex()))
                        .forEach(r -> r.destination().ifPresent(d -> out.add(d.toString())));
            }
            List<dev.netkeeper.netlink.Address> all = kernel.host().addresses().list();
            List<String> addresses = all.stream()
                    .filter(a -> !ours.contains(a.linkIndex())).map(a -> a.prefix().toString()).toList();
            return StatusReply.success(new HostRoutes(out, addresses, underlay(kernel, all)));
        } catch (KernelException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL, e.getMessage()).toWire());
        }
    }

    /** The host's underlay address with the MTU of the link holding it (0: none holds it); null without an address. */
    private static Underlay underlay(KernelContext kernel, List<dev.netkeeper.netlink.Address> addresses) {
        if (kernel.underlay().isEmpty()) {
            return null;
        }
        java.net.InetAddress at = kernel.underlay().get();
        int mtu = addresses.stream().filter(a -> a.prefix().address().equals(at)).findFirst()
                .flatMap(a -> kernel.host().links().get(a.linkIndex())).map(dev.netkeeper.netlink.Link::mtu).orElse(0);
        return new Underlay(dev.netkeeper.netlink.IpPrefix.format(at), mtu);
    }

    /** Runs the task, timed by task name and outcome ({@code netkeeper_kernel_task_seconds}). */
    static StatusReply<Done> execute(KernelContext kernel, KernelTask task) {
        if (task == null) {
            return new NetkeeperException(ErrorCode.INVALID_REQUEST, "kernel work without a task").toReply();
        }
        io.micrometer.core.instrument.Timer.Sample sample = io.micrometer.core.instrument.Timer.start();
        StatusReply<Done> reply = run(kernel, task);
        sample.stop(io.micrometer.core.instrument.Metrics.timer("netkeeper.kernel.task",
                "task", taskName(task), "outcome", reply.isSuccess() ? "ok" : "error"));
        return reply;
    }

    private static String taskName(KernelTask task) {
        try {
            return KernelTaskNames.nameOf(task.getClass());
        } catch (IllegalArgumentException unnamed) {
            return task.getClass().getSimpleName(); // made in-process only (a test's own task): never on the wire
        }
    }

    private static StatusReply<Done> run(KernelContext kernel, KernelTask task) {
        try {
            task.run(kernel);
            return StatusReply.ack();
        } catch (KernelException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL, e.getMessage()).toWire());
        } catch (NftException e) {
            return new NetkeeperException(ErrorCode.KERNEL, task.describe() + ": nftables: " + e.getMessage()).toReply();
        } catch (NetkeeperException e) {
            return e.toReply(); // a task's own typed refusal
        } catch (NameInUseException e) {
            return new NetkeeperException(ErrorCode.NAME_IN_USE, e.getMessage()).toReply();
        } catch (InvalidNameException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.INVALID_NAME, e.getMessage()).toWire());
        } catch (RuntimeException e) {
            return new NetkeeperException(ErrorCode.INTERNAL, task.describe() + " failed: " + e).toReply();
        }
    }
}
