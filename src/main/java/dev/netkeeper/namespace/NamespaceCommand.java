package dev.netkeeper.namespace;

import dev.netkeeper.api.PortMapping;
import java.util.List;

import dev.netkeeper.api.AddedInterface;
import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NamespaceInfo;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** What a namespace entity (id "host:path") accepts. */
public interface NamespaceCommand extends CborSerializable {

    /** A command from a client, answered with a StatusReply (so that anyone can refuse it). */
    interface Answered extends NamespaceCommand {
        ActorRef<? extends StatusReply<?>> replyTo();

        /** The same command, answered to {@code other} instead (one that relays the answer). */
        Answered answeredTo(ActorRef<?> other);
    }

    /** {@code ref} as the reply type a command expects; for relays that pass any StatusReply on. */
    @SuppressWarnings("unchecked")
    static <T> ActorRef<StatusReply<T>> relay(ActorRef<?> ref) {
        return (ActorRef<StatusReply<T>>) ref;
    }

    record Create(Audit audit, ActorRef<StatusReply<NamespaceInfo>> replyTo) implements Answered {
        @Override
        public Create answeredTo(ActorRef<?> other) {
            return new Create(audit, relay(other));
        }
    }

    /** Registers a namespace someone else made (see {@link dev.netkeeper.api.Request.UseNamespace}). */
    record Use(Audit audit, ActorRef<StatusReply<NamespaceInfo>> replyTo) implements Answered {
        @Override
        public Use answeredTo(ActorRef<?> other) {
            return new Use(audit, relay(other));
        }
    }

    /**
     * Adds an interface that a network linked: found by its srcName; its dstName is taken as is when
     * it ends in a digit, else used as a prefix for the lowest free index. Answers the final Interface.
     */
    record AddInterface(Interface iface, Audit audit, ActorRef<StatusReply<AddedInterface>> replyTo)
            implements Answered {
        @Override
        public AddInterface answeredTo(ActorRef<?> other) {
            return new AddInterface(iface, audit, relay(other));
        }
    }

    /**
     * Links {@code endpoint} of {@code network} with its interface born in this namespace (one step): the namespace
     * chooses its dstName (as {@link AddInterface} does) and its routes, the network allocates, journals once and
     * makes it. Answers the network's interfaces, final dstName included.
     */
    record LinkInto(String network, String endpoint, String dstName, Audit audit,
                    ActorRef<StatusReply<Interfaces>> replyTo, List<PortMapping> publish,
                    dev.netkeeper.network.WantedAddresses wanted, List<String> aliases) implements Answered {
        public LinkInto {
            publish = publish == null ? List.of() : List.copyOf(publish);
            wanted = wanted == null ? dev.netkeeper.network.WantedAddresses.NONE : wanted;
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        public LinkInto(String network, String endpoint, String dstName, Audit audit,
                        ActorRef<StatusReply<Interfaces>> replyTo, List<PortMapping> publish,
                        dev.netkeeper.network.WantedAddresses wanted) {
            this(network, endpoint, dstName, audit, replyTo, publish, wanted, List.of());
        }

        public LinkInto(String network, String endpoint, String dstName, Audit audit,
                        ActorRef<StatusReply<Interfaces>> replyTo) {
            this(network, endpoint, dstName, audit, replyTo, List.of(), null);
        }

        public LinkInto(String network, String endpoint, String dstName, Audit audit,
                        ActorRef<StatusReply<Interfaces>> replyTo, List<PortMapping> publish) {
            this(network, endpoint, dstName, audit, replyTo, publish, null);
        }

        @Override
        public LinkInto answeredTo(ActorRef<?> other) {
            return new LinkInto(network, endpoint, dstName, audit, relay(other), publish, wanted, aliases);
        }
    }

    /** Sends the interface back to the host (as libnetwork's Leave); the endpoint stays linked. */
    record RemoveInterface(String dstName, Audit audit, ActorRef<StatusReply<Done>> replyTo)
            implements Answered {
        @Override
        public RemoveInterface answeredTo(ActorRef<?> other) {
            return new RemoveInterface(dstName, audit, relay(other));
        }
    }

    record Delete(Audit audit, ActorRef<StatusReply<Done>> replyTo) implements Answered {
        @Override
        public Delete answeredTo(ActorRef<?> other) {
            return new Delete(audit, relay(other));
        }
    }

    record Get(ActorRef<StatusReply<NamespaceInfo>> replyTo) implements Answered {
        @Override
        public Get answeredTo(ActorRef<?> other) {
            return new Get(relay(other));
        }
    }

    /** Whether the kernel holds the interface {@code dstName} (null: every one) as the journal says (reads only). */
    record Check(String dstName, ActorRef<StatusReply<Done>> replyTo) implements Answered {
        @Override
        public Check answeredTo(ActorRef<?> other) {
            return new Check(dstName, relay(other));
        }
    }

    /** From a network: the endpoint was unlinked, its interface is gone from the kernel. */
    record Forget(String network, String endpoint, Audit audit) implements NamespaceCommand {}

    /**
     * From a network after a restart: answer with Unclaim unless the interface is here. {@code born}: the interface
     * the network's link made in this namespace itself, taken if it is not listed yet (null: a claimed one).
     */
    record VerifyPlacement(String network, String endpoint, Interface born) implements NamespaceCommand {}
}
