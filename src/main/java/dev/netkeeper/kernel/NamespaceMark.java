package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * netkeeper's mark of ownership on a namespace it made: the alias (IFLA_IFALIAS) of the namespace's own
 * loopback, "netkeeper namespace PATH", set inside the namespace before it is mounted, so no instant exists
 * when the mount is there without it. A namespace at one of netkeeper's paths without this mark (someone
 * else's {@code ip netns add}, or one mounted over ours) is never unmounted, deleted nor filled.
 */
public record NamespaceMark(String text) {
    private static final String PREFIX = "netkeeper namespace ";
    /** IFALIASZ in linux/if.h is 256, terminator included. */
    private static final int MAX_ALIAS = 255;

    /** The mark of the namespace netkeeper makes at {@code path} (a digest of it when the path is too long). */
    public static NamespaceMark of(Path path) {
        String text = PREFIX + path;
        if (text.getBytes(StandardCharsets.UTF_8).length <= MAX_ALIAS) {
            return new NamespaceMark(text);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(path.toString().getBytes(StandardCharsets.UTF_8));
            return new NamespaceMark(PREFIX + "sha256:" + HexFormat.of().formatHex(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Marks the namespace that {@code inside} is a handle of. */
    public void put(Handle inside) {
        inside.links().setAlias("lo", text);
    }

    /** The path of the netkeeper namespace that {@code inside} is a handle of (as its mark says), if it is one. */
    public static java.util.Optional<String> anyOn(Handle inside) {
        return inside.links().get("lo").map(lo -> lo.alias()).filter(a -> a.startsWith(PREFIX))
                .map(a -> a.substring(PREFIX.length()));
    }

    /** Whether the namespace that {@code inside} is a handle of carries this mark. */
    public boolean on(Handle inside) {
        return inside.links().get("lo").map(lo -> text.equals(lo.alias())).orElse(false);
    }
}
