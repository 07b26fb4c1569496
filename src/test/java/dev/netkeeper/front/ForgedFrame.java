package dev.netkeeper.front;

/**
 * Bytes an attacker chose, sent as if a given serializer had written them under a given manifest: what a
 * hostile process can put on the wire, whatever our own classes would allow.
 */
public sealed interface ForgedFrame {
    String manifest();

    byte[] bytes();

    /** Sent with the agent's internal serializer id (jackson-cbor, 33) and any class name as manifest. */
    record Internal(String manifest, byte[] bytes) implements ForgedFrame {}

    /** Sent with the public protocol's serializer id (netkeeper-api). */
    record Public(byte[] bytes) implements ForgedFrame {
        @Override
        public String manifest() {
            return "";
        }
    }
}
