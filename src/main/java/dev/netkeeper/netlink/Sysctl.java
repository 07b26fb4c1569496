package dev.netkeeper.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Network sysctls of one namespace. /proc/sys/net resolves against the namespace of the thread that
 * opens the file, so the file is opened from inside the namespace ({@link NetNamespace#call}).
 */
public final class Sysctl {
    private static final Pattern KEY = Pattern.compile("net(/[A-Za-z0-9_.\\-]+)+");

    private final Handle handle;

    Sysctl(Handle handle) {
        this.handle = handle;
    }

    /** Writes e.g. {@code net/ipv4/ip_forward = 1}. Only keys under net/ are accepted. */
    public void write(String key, String value) {
        Path file = file(key);
        String op = "writing sysctl " + key + "=" + value;
        handle.logged(op, () -> handle.namespace().run(() -> {
            try {
                Files.writeString(file, value);
            } catch (IOException e) {
                throw new KernelException(errnoOf(e), op);
            }
        }));
    }

    /** Java hides the errno of a failed write; its reason text is strerror(errno), so map it back. */
    static Errno errnoOf(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new Errno(13); // EACCES
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return Errno.ENOENT;
        }
        String reason = e instanceof java.nio.file.FileSystemException f ? f.getReason() : e.getMessage();
        for (Errno candidate : new Errno[] {Errno.EPERM, Errno.EINVAL, Errno.EBUSY, Errno.ERANGE, new Errno(13)}) {
            if (reason != null && reason.contains(candidate.description())) {
                return candidate;
            }
        }
        return Errno.EINVAL;
    }

    public String read(String key) {
        Path file = file(key);
        return handle.namespace().call(() -> Files.readString(file).strip());
    }

    private static Path file(String key) {
        if (!KEY.matcher(key).matches() || key.contains("..")) {
            throw new IllegalArgumentException("not a network sysctl key: '" + key + "'");
        }
        return Path.of("/proc/sys").resolve(key);
    }
}
