package dev.netkeeper.api;

/**
 * How a Link places the container's interface. With a {@code namespace} (a path on the link's host) the link is
 * one step: the pair is made with the container end born in that namespace as {@code dstName} (null: "eth" and
 * the lowest free index; a name ending in a digit is taken as is), addressed, up and routed, as
 * {@code link} + {@code addInterface} would leave it. Without one, the seed's link: the container end stays in
 * the host as srcName, for {@code addInterface} (or the caller) to move.
 */
public record LinkOptions(@Nullable String namespace, @Nullable String dstName) {
    public static final LinkOptions NONE = new LinkOptions(null, null);

    /** Into the namespace at {@code path}, under the default name. */
    public static LinkOptions into(String path) {
        return new LinkOptions(path, null);
    }

    public LinkOptions named(String name) {
        return new LinkOptions(namespace, name);
    }

    public boolean namesNamespace() {
        return namespace != null && !namespace.isEmpty();
    }
}
