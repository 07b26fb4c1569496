package dev.netkeeper.namespace;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.CborSerializable;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** What a namespace entity (id "host:path") accepts. */
// Commands travel inside the gateway's envelopes as a field of this interface type: the concrete
// record must be named on the wire.
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@command")
public interface NamespaceCommand extends CborSerializable {

    /** A command from a client, answered with a StatusReply (so that anyone can refuse it). */
    interface Answered extends NamespaceCommand {
        ActorRef<? extends StatusReply<?>> replyTo();
    }

    record Create(Audit audit, ActorRef<StatusReply<NamespaceInfo>> replyTo) implements Answered {}

    /**
     * Adds an interface that a network linked: found by its srcName; its dstName is taken as is when
     * it ends in a digit, else used as a prefix for the lowest free index. Answers the final Interface.
     */
    record AddInterface(Interface iface, Audit audit, ActorRef<StatusReply<Interface>> replyTo)
            implements Answered {}

    /** Sends the interface back to the host (as libnetwork's Leave); the endpoint stays linked. */
    record RemoveInterface(String dstName, Audit audit, ActorRef<StatusReply<Done>> replyTo)
            implements Answered {}

    record Delete(Audit audit, ActorRef<StatusReply<Done>> replyTo) implements Answered {}

    record Get(ActorRef<StatusReply<NamespaceInfo>> replyTo) implements Answered {}

    /** From a network: the endpoint was unlinked, its interface is gone from the kernel. */
    record Forget(String network, String endpoint, Audit audit) implements NamespaceCommand {}

    /** From a network after a restart: answer with Unclaim unless the interface is here. */
    record VerifyPlacement(String network, String endpoint) implements NamespaceCommand {}
}
