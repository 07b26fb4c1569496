package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
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

    public record HostRoutes(List<String> destinations, List<String> addresses) implements CborSerializable {
        public HostRoutes {
            destinations = List.copyOf(destinations);
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public HostRoutes(List<String> destinations) {
            this(destinations, List.of());
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
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> {
            KernelContext kernel = KernelContext.open(hostNamespace, namespaceRoots);
            return Behaviors.receive(Command.class)
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
                        kernel.close();
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        kernel.close();
                        return Behaviors.same();
                    })
                    .build();
        })).onFailure(SupervisorStrategy.restart());
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
            List<String> addresses = kernel.host().addresses().list().stream()
                    .filter(a -> !ours.contains(a.linkIndex())).map(a -> a.prefix().toString()).toList();
            return StatusReply.success(new HostRoutes(out, addresses));
        } catch (KernelException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL, e.getMessage()).toWire());
        }
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
