package dev.netkeeper.network;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.CborSerializable;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** What a network entity accepts. Every changing command carries an {@link Audit} with its request id. */
// Commands travel inside the gateway's envelopes as a field of this interface type: the concrete
// record must be named on the wire.
@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS, property = "@command")
public interface NetworkCommand extends CborSerializable {

    record Create(String type, NetworkOptions options, Audit audit, ActorRef<StatusReply<NetworkInfo>> replyTo)
            implements NetworkCommand {}

    /** Allocates (or returns, when already linked) the interfaces of {@code endpoint}. */
    record Link(String endpoint, Audit audit, ActorRef<StatusReply<Interfaces>> replyTo) implements NetworkCommand {}

    record Unlink(String endpoint, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements NetworkCommand {}

    /** Deletes the network; with endpoints left, only when {@code force}. */
    record Delete(boolean force, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements NetworkCommand {}

    record Get(ActorRef<StatusReply<NetworkInfo>> replyTo) implements NetworkCommand {}

    /** From a namespace: it takes the endpoint's interface. Idempotent for the same namespace. */
    record Claim(String endpoint, String namespace, Audit audit, ActorRef<StatusReply<Claimed>> replyTo)
            implements NetworkCommand {}

    record Claimed(String network, String endpoint, Interface iface, boolean internal) implements CborSerializable {}

    /** From a namespace: the interface went back to the host. */
    record Unclaim(String endpoint, String namespace, Audit audit) implements NetworkCommand {}
}
