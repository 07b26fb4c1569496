package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * netkeeper's mark of ownership on a link it made: the link's alias (IFLA_IFALIAS), "netkeeper ROLE
 * OWNER", which the kernel keeps across renames, namespace moves and agent restarts. The agent changes or
 * deletes a link only when it is {@link #owns owned}; any other link of the wanted name is someone else's,
 * refused as NAME_IN_USE and never touched.
 *
 * <p>The kernel takes no alias at creation, so a link is marked right after it is made; for the instant in
 * between (a crash there) a link is also recognized by the MAC it was created with, which is derived from
 * the mark ({@link #mac}) or, for a container end, the one the journal chose.
 */
public record LinkMark(String text) {
    private static final String PREFIX = "netkeeper ";

    public static LinkMark bridge(String network) {
        return new LinkMark(PREFIX + "bridge " + network);
    }

    /** The VXLAN device that carries an overlay network's frames between hosts (a port of its bridge). */
    public static LinkMark vxlan(String network) {
        return new LinkMark(PREFIX + "vxlan " + network);
    }

    /** Bridge {@code segment} (1, 2, ...) that network grew by on a host, its first bridge being full. */
    public static LinkMark segment(String network, int segment) {
        return new LinkMark(PREFIX + SEGMENT + network + " " + segment);
    }

    /** Both ends of the veth pair that joins segment bridge {@code segment} to the network's first bridge. */
    public static LinkMark trunk(String network, int segment) {
        return new LinkMark(PREFIX + TRUNK + network + " " + segment);
    }

    /** What the trunk's segment end is made with (its MAC derived from this), until it carries the trunk's mark. */
    public static LinkMark trunkPeer(String network, int segment) {
        return new LinkMark(trunk(network, segment).text() + " peer");
    }

    private static final String SEGMENT = "segment ";
    private static final String TRUNK = "trunk ";

    /** The segment number of a link marked as a segment bridge or a trunk end of {@code network}. */
    public static Optional<Integer> segmentOf(Link link, String network) {
        for (String role : new String[] {SEGMENT, TRUNK}) {
            String start = PREFIX + role + network + " ";
            if (link.alias().startsWith(start)) {
                try {
                    return Optional.of(Integer.parseInt(link.alias().substring(start.length())));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** The host end of an endpoint's veth pair (the one on the bridge). */
    public static LinkMark hostEnd(String network, String endpoint) {
        return new LinkMark(PREFIX + "veth " + network + "/" + endpoint);
    }

    /**
     * The container end of an endpoint's veth pair, wherever it is (host, or the container's namespace), with
     * the name it has in the host ({@code hostName}): a namespace's converge sends one back under that name
     * when its journal no longer lists it.
     */
    public static LinkMark containerEnd(String network, String endpoint, String hostName) {
        return new LinkMark(PREFIX + CONTAINER_END + network + "/" + endpoint + " " + hostName);
    }

    private static final String CONTAINER_END = "ceth ";

    /** The name in the host of a link marked as an endpoint's container end (netkeeper's names have no space). */
    public static Optional<String> containerEndHostName(Link link) {
        if (!link.alias().startsWith(PREFIX + CONTAINER_END)) {
            return Optional.empty();
        }
        String hostName = link.alias().substring(link.alias().lastIndexOf(' ') + 1);
        return hostName.isEmpty() ? Optional.empty() : Optional.of(hostName);
    }

    /** Whether {@code link} is the host end of some endpoint of {@code network}. */
    public static boolean isHostEndOf(Link link, String network) {
        return link.alias().startsWith(PREFIX + "veth " + network + "/");
    }

    /** Whether the link carries some netkeeper mark. */
    public static boolean isOurs(Link link) {
        return link.alias().startsWith(PREFIX);
    }

    /** Whether the link carries exactly this mark. */
    public boolean on(Link link) {
        return text.equals(link.alias());
    }

    /** Marked as this, or not marked yet and made with {@code createdWith} (the window before the mark). */
    public boolean owns(Link link, MacAddress createdWith) {
        return on(link) || (link.alias().isEmpty() && link.mac().equals(Optional.of(createdWith)));
    }

    /** A unicast, locally administered MAC derived from the mark, for links whose MAC nobody else chooses. */
    public MacAddress mac() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return MacAddress.of(new byte[] {0x02, (byte) 0x6e, d[0], d[1], d[2], d[3]});
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** What a link that is not ours is, for the refusal: "a bridge", "a veth marked 'netkeeper bridge net1'". */
    public static String whatIs(Link link) {
        String kind = link.kind().isEmpty() ? "link" : link.kind();
        return (kind.matches("[aeiou].*") ? "an " : "a ") + kind
                + (link.alias().isEmpty() ? "" : " marked '" + link.alias() + "'");
    }
}
