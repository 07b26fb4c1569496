package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.kernel.CborSerializable;

import java.util.List;

/** What a network journals. Each event carries its {@link Audit}: request id, time, origin. */
public sealed interface NetworkEvent extends CborSerializable {
    Audit audit();

    /** {@code host}: where the network was set up first (its bridge); null in single-host tests. */
    record NetworkCreated(NetworkConfig config, String host, Audit audit) implements NetworkEvent {}

    /** Journaled before the kernel is touched: the addresses and names are taken from now on. */
    record EndpointAllocated(Endpoint endpoint, Audit audit) implements NetworkEvent {}

    /** The endpoint's addresses are free again (unlink, or rollback of a failed link). */
    record EndpointReleased(String endpoint, String reason, Audit audit) implements NetworkEvent {}

    /** A namespace took the endpoint's interface. */
    record EndpointPlaced(String endpoint, String namespace, Audit audit) implements NetworkEvent {}

    /** The interface went back to the host (removed from its namespace, or the namespace deleted). */
    record EndpointUnplaced(String endpoint, String namespace, Audit audit) implements NetworkEvent {}

    /** Host ports that reach the endpoint from now on (each resolved to one port, claimed on its host first). */
    record PortsPublished(String endpoint, List<PortMapping> ports, Audit audit) implements NetworkEvent {
        public PortsPublished {
            ports = List.copyOf(ports);
        }
    }

    /** Host ports that no longer reach the endpoint. */
    record PortsUnpublished(String endpoint, List<PortMapping> ports, Audit audit) implements NetworkEvent {
        public PortsUnpublished {
            ports = List.copyOf(ports);
        }
    }

    record NetworkDeleted(Audit audit) implements NetworkEvent {}
}
