package dev.netkeeper.api;

import java.util.List;

/**
 * How a Link places the container's interface. With a {@code namespace} (a path on the link's host) the link is
 * one step: the pair is made with the container end born in that namespace as {@code dstName} (null: "eth" and
 * the lowest free index; a name ending in a digit is taken as is), addressed, up and routed, as
 * {@code link} + {@code addInterface} would leave it. Without one, the seed's link: the container end stays in
 * the host as srcName, for {@code addInterface} (or the caller) to move. {@code publish}: ports of the host that
 * reach the endpoint (journaled with it; the answer names the host ports chosen).
 */
public record LinkOptions(@Nullable String namespace, @Nullable String dstName,
                          @com.fasterxml.jackson.annotation.JsonInclude(
                                  com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                          List<PortMapping> publish) {
    public static final LinkOptions NONE = new LinkOptions(null, null);

    public LinkOptions {
        publish = publish == null ? List.of() : List.copyOf(publish);
    }

    public LinkOptions(String namespace, String dstName) {
        this(namespace, dstName, List.of());
    }

    /** Into the namespace at {@code path}, under the default name. */
    public static LinkOptions into(String path) {
        return new LinkOptions(path, null);
    }

    public LinkOptions named(String name) {
        return new LinkOptions(namespace, name, publish);
    }

    /** With these ports published (see {@link PortMapping}); a network that cannot publish refuses the link. */
    public LinkOptions publishing(PortMapping... mappings) {
        List<PortMapping> all = new java.util.ArrayList<>(publish);
        all.addAll(List.of(mappings));
        return new LinkOptions(namespace, dstName, all);
    }

    /** Only ports to publish, the container end left in the host (the seed's link). */
    public static LinkOptions publish(PortMapping... mappings) {
        return NONE.publishing(mappings);
    }

    public boolean namesNamespace() {
        return namespace != null && !namespace.isEmpty();
    }
}
