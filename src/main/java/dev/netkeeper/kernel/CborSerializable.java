package dev.netkeeper.kernel;

/**
 * Marker for the agent's internal messages, events and state: what crosses an actor boundary between
 * cluster members or is journaled. Bound to pekko-serialization-jackson's CBOR serializer in the agent's
 * application.conf only: the client door ({@code dev.netkeeper.front}) binds {@link dev.netkeeper.api.ApiMessage}
 * alone, so nothing marked with this can even be deserialized there.
 */
public interface CborSerializable {}
