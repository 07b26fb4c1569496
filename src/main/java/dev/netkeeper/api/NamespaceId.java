package dev.netkeeper.api;

/**
 * A namespace's identity in the cluster: its host and its path, written "host:path" — the namespace entity's id,
 * the audit's entity id for namespace events, what namespace listings name. A host id has no ':'; the path is
 * everything after the first one.
 */
public record NamespaceId(String host, String path) {
    /** "host:path" read back; anything without a host before a ':' is refused. */
    public static NamespaceId parse(String id) {
        int colon = id == null ? -1 : id.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a namespace id (host:path): " + id);
        }
        return new NamespaceId(id.substring(0, colon), id.substring(colon + 1));
    }

    /**
     * What a user types for a namespace: "PATH" (host null: the agent's own) or "HOST:PATH"; a path (starting with
     * '/') is never split, whatever ':' it holds.
     */
    public static NamespaceId reference(String ref) {
        int colon = ref.indexOf(':');
        return colon > 0 && !ref.startsWith("/") ? parse(ref) : new NamespaceId(null, ref);
    }

    @Override
    public String toString() {
        return host + ":" + path;
    }
}
