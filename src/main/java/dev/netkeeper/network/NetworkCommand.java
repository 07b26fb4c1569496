package dev.netkeeper.network;

import dev.netkeeper.api.PortMapping;

import java.util.List;

import dev.netkeeper.api.Audit;
import dev.netkeeper.kernel.CborSerializable;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.Interfaces;
import dev.netkeeper.api.Location;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/** What a network entity accepts. Every changing command carries an {@link Audit} with its request id. */
public interface NetworkCommand extends CborSerializable {

    /** {@code host}: where the network is set up first; null: the host of the agent that received it. */
    record Create(String type, NetworkOptions options, String host, Audit audit,
                  ActorRef<StatusReply<NetworkInfo>> replyTo) implements NetworkCommand {
        public Create(String type, NetworkOptions options, Audit audit, ActorRef<StatusReply<NetworkInfo>> replyTo) {
            this(type, options, null, audit, replyTo);
        }

        public Create onHost(String defaultHost) {
            return host != null && !host.isEmpty() ? this : new Create(type, options, defaultHost, audit, replyTo);
        }
    }

    /**
     * Allocates (or returns, when already linked) the interfaces of {@code endpoint}, made on host
     * {@code host}; without one, on {@code receivedOn}, the host of the agent that received the command
     * (set by its gateway). An endpoint already linked on another host is refused (WRONG_HOST) only when
     * {@code host} names one; without, the link answers the existing interfaces, as a retry through
     * another agent expects. With {@code into} (sent by the namespace entity, which chose it) the interface is
     * born in that namespace, configured: one step, one journal write.
     */
    record Link(String endpoint, String host, String receivedOn, Audit audit,
                ActorRef<StatusReply<Interfaces>> replyTo, Placement into, List<PortMapping> publish,
                boolean claimed, WantedAddresses wanted, List<String> aliases) implements NetworkCommand {
        public Link {
            publish = publish == null ? List.of() : List.copyOf(publish);
            wanted = wanted == null ? WantedAddresses.NONE : wanted;
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
        }

        public Link(String endpoint, String host, String receivedOn, Audit audit,
                    ActorRef<StatusReply<Interfaces>> replyTo, Placement into, List<PortMapping> publish,
                    boolean claimed, WantedAddresses wanted) {
            this(endpoint, host, receivedOn, audit, replyTo, into, publish, claimed, wanted, List.of());
        }

        /** Known to the network's resolver by these names too. */
        public Link naming(List<String> names) {
            return new Link(endpoint, host, receivedOn, audit, replyTo, into, publish, claimed, wanted, names);
        }

        public Link(String endpoint, String host, String receivedOn, Audit audit,
                    ActorRef<StatusReply<Interfaces>> replyTo, Placement into) {
            this(endpoint, host, receivedOn, audit, replyTo, into, List.of(), false, WantedAddresses.NONE);
        }

        public Link(String endpoint, String host, String receivedOn, Audit audit,
                    ActorRef<StatusReply<Interfaces>> replyTo) {
            this(endpoint, host, receivedOn, audit, replyTo, null);
        }

        /** With host ports to publish ({@code claimed}: resolved and taken on the endpoint's host already). */
        public Link publishing(List<PortMapping> ports, boolean taken) {
            return new Link(endpoint, host, receivedOn, audit, replyTo, into, ports, taken, wanted, aliases);
        }

        /** Asking for these addresses and MAC rather than the next free ones. */
        public Link wanting(WantedAddresses addresses) {
            return new Link(endpoint, host, receivedOn, audit, replyTo, into, publish, claimed, addresses, aliases);
        }

        public Link(String endpoint, String host, Audit audit, ActorRef<StatusReply<Interfaces>> replyTo) {
            this(endpoint, host, null, audit, replyTo, null);
        }

        public Link(String endpoint, Audit audit, ActorRef<StatusReply<Interfaces>> replyTo) {
            this(endpoint, null, null, audit, replyTo, null);
        }

        /** The same command, received by the agent of {@code agentHost}. */
        public Link receivedOn(String agentHost) {
            return new Link(endpoint, host, agentHost, audit, replyTo, into, publish, claimed, wanted, aliases);
        }

        public boolean namesHost() {
            return host != null && !host.isEmpty();
        }

        /** Where the endpoint must live: its host, else the receiving agent's, else {@code fallback}. */
        public String targetHost(String fallback) {
            return namesHost() ? host : receivedOn != null && !receivedOn.isEmpty() ? receivedOn : fallback;
        }
    }

    /**
     * From the namespace that holds the endpoint's interface, when it converges: make the interface be there as
     * {@code placement} says (the pair made again, born in the namespace, when the host lost it). Refused
     * NO_SUCH_ENDPOINT / INTERFACE_IN_USE when the endpoint is gone or placed elsewhere: the namespace forgets it.
     */
    record Attach(String endpoint, Placement placement, ActorRef<StatusReply<Done>> replyTo) implements NetworkCommand {}

    /**
     * Host {@code host}'s agent (re)started at {@code since} (epoch ms): make that host's kernel match
     * the journal, unless this entity did so after {@code since}.
     */
    /**
     * Publishes more host ports to an existing endpoint ({@code claimed}: resolved and taken on its host already, as
     * the entity itself resends it); answers the endpoint's interfaces and all of its ports.
     */
    record Publish(String endpoint, List<PortMapping> ports, boolean claimed, Audit audit,
                   ActorRef<StatusReply<Interfaces>> replyTo) implements NetworkCommand {
        public Publish {
            ports = List.copyOf(ports);
        }
    }

    /** Stops publishing these host ports (matched by protocol, host address and port) to the endpoint. */
    record Unpublish(String endpoint, List<PortMapping> ports, Audit audit,
                     ActorRef<StatusReply<Interfaces>> replyTo) implements NetworkCommand {
        public Unpublish {
            ports = List.copyOf(ports);
        }
    }

    record ConvergeHost(String host, long since, ActorRef<Done> replyTo) implements NetworkCommand {
        public ConvergeHost(String host, long since) {
            this(host, since, null);
        }
    }

    /** Which host's agent runs this network's entity now. */
    record Locate(ActorRef<StatusReply<Location>> replyTo) implements NetworkCommand {}

    record Unlink(String endpoint, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements NetworkCommand {}

    /** Deletes the network; with endpoints left, only when {@code force}. */
    record Delete(boolean force, Audit audit, ActorRef<StatusReply<Done>> replyTo) implements NetworkCommand {}

    /** The network with one page of its endpoints in name order (see {@link NetworkState#info(String, int)}). */
    record Get(String endpointsAfter, int endpointsLimit, ActorRef<StatusReply<NetworkInfo>> replyTo)
            implements NetworkCommand {
        /** The first page. */
        public Get(ActorRef<StatusReply<NetworkInfo>> replyTo) {
            this(null, 0, replyTo);
        }
    }

    /** From a namespace: it takes the endpoint's interface. Idempotent for the same namespace. */
    record Claim(String endpoint, String namespace, Audit audit, ActorRef<StatusReply<Claimed>> replyTo)
            implements NetworkCommand {}

    record Claimed(String network, String endpoint, Interface iface, boolean internal) implements CborSerializable {}

    /**
     * From a namespace: it no longer holds the interface. {@code namespaceGone}: the namespace was deleted (an
     * interface born there died with it: its endpoint is released); otherwise it went back to the host.
     */
    record Unclaim(String endpoint, String namespace, boolean namespaceGone, Audit audit) implements NetworkCommand {}
}
