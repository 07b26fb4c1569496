package dev.netkeeper.dns;

import java.io.IOException;
import java.net.InetAddress;
import dev.netkeeper.netlink.IpPrefix;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The resolvers the host itself uses, from its resolv.conf ({@code nameserver} lines, addresses only), read again when
 * the file changes (its time or size; looked at no more than once every {@link #RECHECK_NANOS}). The resolvers'
 * own addresses are left out: a query forwarded there would come back to the agent.
 */
final class Upstreams {
    static final long RECHECK_NANOS = 2_000_000_000L;

    private final Path file;
    private final Supplier<Set<InetAddress>> own;
    private List<InetAddress> servers = List.of();
    private FileTime readAt;
    private long size = -1;
    private long checkedAt;
    private boolean checked;

    Upstreams(Path file, Supplier<Set<InetAddress>> own) {
        this.file = file;
        this.own = own;
    }

    /** The upstreams in the file's order; empty when it names none (forwarded queries then fail). */
    synchronized List<InetAddress> current() {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > RECHECK_NANOS) {
            checked = true;
            checkedAt = now;
            reread();
        }
        Set<InetAddress> mine = own.get();
        return servers.stream().filter(s -> !mine.contains(s)).toList();
    }

    private void reread() {
        try {
            FileTime time = Files.getLastModifiedTime(file);
            long length = Files.size(file);
            if (time.equals(readAt) && length == size) {
                return;
            }
            readAt = time;
            size = length;
            servers = parse(Files.readAllLines(file));
        } catch (IOException e) {
            servers = List.of(); // no file: no upstream
            readAt = null;
            size = -1;
        }
    }

    /** The {@code nameserver} addresses of resolv.conf text; anything else (search, options, comments) is not ours. */
    static List<InetAddress> parse(List<String> lines) {
        List<InetAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                try {
                    out.add(IpPrefix.literal(words[1]));
                } catch (IllegalArgumentException e) {
                    // not an address (a name, or a scoped link-local one): skipped, as libc skips what it cannot use
                }
            }
        }
        return List.copyOf(out);
    }
}
