package dev.netkeeper.dns;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolv.conf of each namespace netkeeper made on this host, where {@code ip netns exec NAME} puts it in place of
 * /etc/resolv.conf: {@code NETNS_ETC/NAME/resolv.conf}, naming the resolvers of the networks the namespace is on. A
 * function of the journal: written when it differs (atomically, by rename), removed when the namespace is gone or on
 * no network with a resolver. Each file starts with a mark naming its namespace; a file without it is someone
 * else's and is never written over or removed, and a marked file whose namespace the journal no longer holds is
 * removed on the next pass (a namespace deleted while the agent was down included).
 */
final class ResolvConfFiles {
    private static final Logger log = LoggerFactory.getLogger(ResolvConfFiles.class);
    static final String MARK = "# netkeeper: the resolvers of namespace ";
    /** Where {@code ip netns} mounts its namespaces: only those have a NAME that ip netns exec knows. */
    private static final List<Path> NETNS_DIRS = List.of(Path.of("/var/run/netns"), Path.of("/run/netns"));

    private final Path etcDir;
    private final String hostId;
    private final Map<Path, String> written = new HashMap<>();

    ResolvConfFiles(Path etcDir, String hostId) {
        this.etcDir = etcDir;
        this.hostId = hostId;
    }

    /** Makes the files say {@code wanted} (namespace path → resolvers); the rest of ours go. */
    void converge(Map<String, List<InetAddress>> wanted) {
        Map<Path, String> files = new HashMap<>();
        wanted.forEach((path, servers) -> name(Path.of(path)).ifPresent(name -> {
            if (!servers.isEmpty()) {
                files.put(etcDir.resolve(name).resolve("resolv.conf"), text(path, servers));
            }
        }));
        files.forEach(this::write);
        for (Path stale : ours()) {
            if (!files.containsKey(stale)) {
                remove(stale);
            }
        }
    }

    /** The ip-netns name of a namespace mounted at {@code path}, when it is mounted where ip netns looks. */
    static Optional<String> name(Path path) {
        Path parent = path.getParent();
        return parent != null && NETNS_DIRS.contains(parent) ? Optional.of(path.getFileName().toString()) : Optional.empty();
    }

    private String text(String path, List<InetAddress> servers) {
        StringBuilder b = new StringBuilder(MARK).append(hostId).append(':').append(path)
                .append("; written from the journal by the agent\n");
        servers.forEach(s -> b.append("nameserver ").append(dev.netkeeper.netlink.IpPrefix.format(s)).append('\n'));
        return b.toString();
    }

    private void write(Path file, String text) {
        if (text.equals(written.get(file))) {
            return;
        }
        try {
            if (Files.exists(file) && !isOurs(file)) {
                log.warn("{} is not netkeeper's: left as it is", file);
                return;
            }
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(".resolv.conf.netkeeper");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.put(file, text);
        } catch (IOException e) {
            log.warn("cannot write {}: {}", file, e.toString());
        }
    }

    private void remove(Path file) {
        try {
            if (isOurs(file)) {
                Files.deleteIfExists(file);
                try {
                    Files.deleteIfExists(file.getParent()); // only when empty: anything else there is someone's
                } catch (java.nio.file.DirectoryNotEmptyException ignored) {
                    // kept
                }
            }
            written.remove(file);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", file, e.toString());
        }
    }

    /** This host's marked files under the directory. */
    private List<Path> ours() {
        if (!Files.isDirectory(etcDir)) {
            return List.of();
        }
        List<Path> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(etcDir)) {
            for (Path dir : dirs) {
                Path file = dir.resolve("resolv.conf");
                if (Files.isRegularFile(file) && isOurs(file)) {
                    out.add(file);
                }
            }
        } catch (IOException e) {
            log.warn("cannot list {}: {}", etcDir, e.toString());
        }
        return out;
    }

    private boolean isOurs(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && first.startsWith(MARK + hostId + ":");
        } catch (IOException e) {
            return false;
        }
    }
}
