package dev.netkeeper.cni;

import dev.netkeeper.api.Readiness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The DELs the shim could not deliver (the agent was away), one file each, written durably by the shim (written,
 * fsynced, renamed, the directory fsynced): {@code <epoch ns>-<pid>.del}, holding the call's headers as the shim
 * sends them, an empty line, and the configuration. Replayed in the order they were written, before the agent
 * reports ready and before any ADD is served, so an entry always precedes the attachments made after it; and an
 * entry whose prevResult names another interface than the attachment's is dropped without removing it. Only
 * root's regular files are read (the directory is root's, mode 0700).
 */
public final class CniSpool {
    private static final Logger log = LoggerFactory.getLogger(CniSpool.class);
    static final String SUFFIX = ".del";
    /** Where the shim spools when the configuration names no {@code spool} (netkeeper-cni.c's DEFAULT_SPOOL). */
    static final Path SHIM_DEFAULT = Path.of("/var/lib/netkeeper/cni-spool");

    private final Path dir;
    private CompletableFuture<Void> replay;
    private volatile boolean replayedOnce;

    public CniSpool(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(this.dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(this.dir.getParent());
                Files.createDirectory(this.dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the CNI spool " + this.dir + ": " + e, e);
        }
    }

    public Path dir() {
        return dir;
    }

    /**
     * Refuses (error 7) a configuration whose shim would spool where this agent does not replay: a DEL it spooled
     * there would be lost.
     */
    void requireSameAs(String configured) {
        Path asked = configured == null ? SHIM_DEFAULT : Path.of(configured).toAbsolutePath().normalize();
        if (!asked.equals(dir)) {
            throw new CniError(CniError.INVALID_CONFIG, "the configuration's spool is " + asked + ", but this agent "
                    + "replays " + dir + ": a DEL spooled there would never be carried out (name \"spool\": \"" + dir
                    + "\" in the configuration, or set netkeeper.cni.spool-dir)");
        }
    }

    /** The entries waiting, oldest first: root's regular files named *.del (anything else is left alone, logged). */
    List<Path> entries() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).filter(this::trusted).sorted().toList();
        } catch (IOException e) {
            log.warn("cannot list the CNI spool {}: {}", dir, e.toString());
            return List.of();
        }
    }

    private boolean trusted(Path p) {
        try {
            boolean ok = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && ((Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)) == 0;
            if (!ok) {
                log.warn("CNI spool entry {} is not a regular file of root's: not replayed", p);
            }
            return ok;
        } catch (IOException e) {
            return false;
        }
    }

    /** An entry as the call it holds. */
    static CniCall read(Path entry) throws IOException {
        byte[] bytes = Files.readAllBytes(entry);
        int split = -1;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\n' && bytes[i + 1] == '\n') {
                split = i;
                break;
            }
        }
        if (split < 0) {
            throw new IOException("no empty line after the headers");
        }
        Map<String, String> headers = new HashMap<>();
        for (String line : new String(bytes, 0, split, StandardCharsets.UTF_8).split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
            }
        }
        return CniCall.of(h -> headers.get(h.toLowerCase(java.util.Locale.ROOT)),
                Arrays.copyOfRange(bytes, split + 2, bytes.length));
    }

    /**
     * Completes once every entry written so far is replayed (at once when there are none); one replay at a time,
     * a caller during one waits for it. An entry that cannot be carried out now (error 11) stays, and fails this.
     */
    synchronized CompletionStage<Void> replayed(CniPlugin plugin) {
        if (replay != null && !replay.isDone()) {
            return replay;
        }
        List<Path> entries = entries();
        if (entries.isEmpty()) {
            replayedOnce = true;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Path entry : entries) {
            chain = chain.thenCompose(x -> replayOne(plugin, entry));
        }
        replay = chain.whenComplete((ok, err) -> replayedOnce = err == null);
        return replay;
    }

    private CompletableFuture<Void> replayOne(CniPlugin plugin, Path entry) {
        CniCall call;
        try {
            call = read(entry);
        } catch (IOException | RuntimeException e) {
            log.warn("CNI spool entry {} is unreadable ({}): dropped", entry, e.toString());
            delete(entry);
            return CompletableFuture.completedFuture(null);
        }
        CompletionStage<Void> done;
        try {
            done = plugin.replay(call, "spool:" + entry.getFileName());
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.toCompletableFuture().handle((ok, err) -> {
            CniError e = err == null ? null : CniErrors.of(err);
            if (e != null && !refusesItsInput(e)) {
                // the agent, a host or the kernel failed it now: kept for the next replay (the runtime was told it
                // succeeded, so it is never dropped for that)
                throw new java.util.concurrent.CompletionException(e);
            }
            if (e != null) {
                log.warn("spooled {} is refused and dropped: {}", call, e.getMessage());
            } else {
                log.info("spooled {} replayed", call);
            }
            delete(entry);
            return null;
        });
    }

    /** The entry itself is wrong (its environment or configuration): replaying it again would fail again. */
    private static boolean refusesItsInput(CniError e) {
        return e.code() < 100 ? e.code() != CniError.TRY_AGAIN_LATER && e.code() != CniError.IO_FAILURE
                : e.details() != null && java.util.Set.of("INVALID_NAME", "INVALID_OPTION", "INVALID_REQUEST",
                "PATH_NOT_ALLOWED").contains(e.details());
    }

    private static void delete(Path entry) {
        try {
            Files.deleteIfExists(entry);
        } catch (IOException e) {
            log.warn("cannot remove CNI spool entry {}: {}", entry, e.toString());
        }
    }

    /** "ok" once no entry waits (replayed at least once, and none written since), else why not (/readyz and STATUS). */
    String readiness() {
        return replayedOnce && entries().isEmpty() ? Readiness.OK
                : "the DELs spooled in " + dir + " while the agent was away are not replayed yet";
    }
}
