package dev.netkeeper.api;

/**
 * Marker for everything that crosses an actor boundary or is journaled: commands, replies, events,
 * state. Bound to pekko-serialization-jackson's CBOR serializer in application.conf.
 */
public interface CborSerializable {}
