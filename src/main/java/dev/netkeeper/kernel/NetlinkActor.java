package dev.netkeeper.kernel;

import dev.netkeeper.api.CborSerializable;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.KernelException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
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

    /** The destinations of the host's routes, IPv4 and IPv6, default routes excluded (for IPAM). */
    public record ListHostRoutes(ActorRef<StatusReply<HostRoutes>> replyTo) implements Command {}

    public record HostRoutes(List<String> destinations) implements CborSerializable {
        public HostRoutes {
            destinations = List.copyOf(destinations);
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

    public static Behavior<Command> create(Optional<Path> hostNamespace) {
        return Behaviors.setup(ctx -> {
            KernelContext kernel = KernelContext.open(hostNamespace);
            return Behaviors.receive(Command.class)
                    .onMessage(Execute.class, ex -> {
                        ex.replyTo().tell(execute(kernel, ex.task()));
                        return Behaviors.same();
                    })
                    .onMessage(ListHostRoutes.class, q -> {
                        q.replyTo().tell(hostRoutes(kernel));
                        return Behaviors.same();
                    })
                    .onSignal(PostStop.class, stop -> {
                        kernel.close();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    static StatusReply<HostRoutes> hostRoutes(KernelContext kernel) {
        try {
            List<String> out = new ArrayList<>();
            for (int family : new int[] {Rtnetlink.AF_INET, Rtnetlink.AF_INET6}) {
                kernel.host().routes().list(family).forEach(r -> r.destination().ifPresent(d -> out.add(d.toString())));
            }
            return StatusReply.success(new HostRoutes(out));
        } catch (KernelException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL, e.getMessage()).toWire());
        }
    }

    static StatusReply<Done> execute(KernelContext kernel, KernelTask task) {
        try {
            task.run(kernel);
            return StatusReply.ack();
        } catch (KernelException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL, e.getMessage()).toWire());
        } catch (InvalidNameException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.INVALID_NAME, e.getMessage()).toWire());
        } catch (RuntimeException e) {
            return StatusReply.error(new NetkeeperException(ErrorCode.KERNEL,
                    task.describe() + " failed: " + e).toWire());
        }
    }
}
