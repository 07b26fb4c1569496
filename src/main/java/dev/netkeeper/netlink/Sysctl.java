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
                throw new KernelException(Errno.EINVAL, op, e.getMessage());
            }
        }));
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
