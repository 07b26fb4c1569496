package dev.netkeeper.network;

import dev.netkeeper.api.Audit;
import dev.netkeeper.api.Interface;

/**
 * How a network tells the namespace that holds one of its interfaces what happened. Implemented by
 * the wiring in {@code cluster/}, so that this package does not depend on the namespace package.
 */
public interface PlacementListener {
    /**
     * The endpoint was unlinked (its veth deleted): the namespace should forget the interface,
     * recording it under the unlink's (or delete's) own audit.
     */
    void endpointRemoved(String namespace, String network, String endpoint, Audit audit);

    /**
     * After a restart: the namespace should confirm it holds the interface, or give it back; {@code born} (the
     * interface, final dstName included), when the link placed it there itself: the namespace takes it if it does
     * not list it yet (a crash cut its own journal write).
     */
    void verifyPlacement(String namespace, String network, String endpoint, Interface born);

    PlacementListener NONE = new PlacementListener() {
        @Override
        public void endpointRemoved(String namespace, String network, String endpoint, Audit audit) {}

        @Override
        public void verifyPlacement(String namespace, String network, String endpoint, Interface born) {}
    };
}
