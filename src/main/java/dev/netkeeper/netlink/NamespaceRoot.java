package dev.netkeeper.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A directory where the agent mounts namespaces, held open from the start: its real path is resolved once
 * (/var/run/netns is /run/netns on Debian) and every later create, unmount or delete of a path below it
 * resolves beneath that descriptor with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS), so that a symlink or ".." put in place after the path was checked cannot lead
 * anywhere else. Mounts and unmounts then name the exact file through /proc/self/fd, never a path again.
 */
public final class NamespaceRoot implements AutoCloseable {
    /** Where {@code ip netns} and Podman mount namespaces (/var/run is /run on Debian). */
    static final Path IP_NETNS_DIR = Path.of("/run/netns");
    private static final long BENEATH = Libc.RESOLVE_BENEATH | Libc.RESOLVE_NO_SYMLINKS | Libc.RESOLVE_NO_MAGICLINKS;

    private final Path configured;
    private final Path real;
    private final int fd;

    private NamespaceRoot(Path configured, Path real, int fd) {
        this.configured = configured;
        this.real = real;
        this.fd = fd;
    }

    /** Opens the directory {@code dir} (made if missing). */
    public static NamespaceRoot open(Path dir) {
        Path configured = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(configured);
            Path real = configured.toRealPath();
            share(real);
            int fd = Libc.open(real.toString(), Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw KernelException.lastError("opening namespace root " + real);
            }
            return new NamespaceRoot(configured, real, fd);
        } catch (IOException e) {
            throw new KernelException(Errno.EPERM, "opening namespace root " + configured, e.getMessage());
        }
    }

    /**
     * Makes {@code dir}, when it is /run/netns (where {@code ip netns} and Podman mount theirs), a mount point of its
     * own with shared propagation, as {@code ip netns add} does on first use (and Podman): first {@code --make-rshared}; when it is not a mount point yet (EINVAL), a recursive bind mount
     * of it onto itself, then shared. Done once, before anything is mounted below through a held descriptor: whoever
     * bind-mounts the directory onto itself later would otherwise cover the namespaces mounted beneath (and the
     * agent's descriptor, opened before, would see the covered directory, not the one everybody else sees). The
     * recursive bind carries any namespace mounted there already up with it.
     */
    static void share(Path dir) {
        if (!IP_NETNS_DIR.equals(dir)) {
            return; // no one else binds another directory onto itself: left as it is
        }
        String d = dir.toString();
        if (Libc.mount("none", d, null, Libc.MS_SHARED | Libc.MS_REC, null) == 0) {
            return;
        }
        if (Libc.errno() != Errno.EINVAL.code()) {
            throw KernelException.lastError("making " + d + " a shared mount");
        }
        if (Libc.mount(d, d, "none", Libc.MS_BIND | Libc.MS_REC, null) != 0
                || Libc.mount("none", d, null, Libc.MS_SHARED | Libc.MS_REC, null) != 0) {
            throw KernelException.lastError("bind-mounting " + d + " onto itself, shared");
        }
    }

    /** The part of {@code path} below this root (as configured or by its real path); empty when not below it. */
    public Optional<Path> below(Path path) {
        Path p = path.toAbsolutePath().normalize();
        for (Path base : new Path[] {configured, real}) {
            if (p.startsWith(base) && !p.equals(base)) {
                return Optional.of(base.relativize(p));
            }
        }
        return Optional.empty();
    }

    /** An empty file at {@code rel} for a namespace to be mounted on, made beneath the root (never through a link). */
    void createMountPoint(Path rel) {
        int dir = openBeneath(parentOf(rel), Libc.O_PATH | Libc.O_DIRECTORY, "creating namespace " + rel);
        try {
            int f = Libc.openat(dir, rel.getFileName().toString(),
                    Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_RDONLY | Libc.O_CLOEXEC, 0444);
            if (f < 0) {
                throw KernelException.lastError("creating namespace " + resolved(rel));
            }
            Libc.close(f);
        } finally {
            Libc.close(dir);
        }
    }

    /** An O_PATH descriptor of the file at {@code rel}, beneath the root; its /proc/self/fd path names exactly it. */
    int openFile(Path rel, String what) {
        // no O_NOFOLLOW: with it openat2 would hand back the symlink itself; without, any symlink is ELOOP
        return openBeneath(rel, Libc.O_PATH, what);
    }

    /**
     * Unmounts whatever is mounted at {@code rel} (lazily, like {@code ip netns del}) and removes the file,
     * both beneath the root. True when something was there.
     */
    boolean remove(Path rel) {
        String op = "deleting namespace " + resolved(rel);
        int f = Libc.syscall(Libc.SYS_OPENAT2, fd, rel.toString(), how(Libc.O_PATH | Libc.O_CLOEXEC), 24);
        if (f < 0) {
            int errno = Libc.errno();
            if (errno == Errno.ENOENT.code()) {
                return false;
            }
            throw new KernelException(new Errno(errno), op);
        }
        boolean unmounted;
        try {
            unmounted = Libc.umount2("/proc/self/fd/" + f, Libc.MNT_DETACH) == 0;
        } finally {
            Libc.close(f);
        }
        int dir = openBeneath(parentOf(rel), Libc.O_PATH | Libc.O_DIRECTORY, op);
        try {
            if (Libc.unlinkat(dir, rel.getFileName().toString(), 0) < 0 && !unmounted) {
                throw KernelException.lastError(op);
            }
        } finally {
            Libc.close(dir);
        }
        return true;
    }

    /**
     * Whether {@code rel} is what netkeeper's mount points are when nothing is mounted: an empty regular file
     * (a leftover of a create cut before its mount). False for anything else, and when nothing is there.
     */
    public boolean isEmptyMountPoint(Path rel) {
        int f = Libc.syscall(Libc.SYS_OPENAT2, fd, rel.toString(), how(Libc.O_PATH | Libc.O_CLOEXEC), 24);
        if (f < 0) {
            return false;
        }
        try {
            Path at = Path.of("/proc/self/fd/" + f);
            return Files.isRegularFile(at) && Files.size(at) == 0;
        } catch (IOException e) {
            return false;
        } finally {
            Libc.close(f);
        }
    }

    /** The real path of {@code rel} (for messages). */
    Path resolved(Path rel) {
        return real.resolve(rel);
    }

    private int openBeneath(Path rel, int flags, String what) {
        int f = Libc.syscall(Libc.SYS_OPENAT2, fd, rel.toString(), how(flags | Libc.O_CLOEXEC), 24);
        if (f < 0) {
            throw new KernelException(new Errno(Libc.errno()), what + " (resolving " + rel + " beneath " + real
                    + ", no symlinks)");
        }
        return f;
    }

    private static Path parentOf(Path rel) {
        return rel.getParent() == null ? Path.of(".") : rel.getParent();
    }

    private static long[] how(int flags) {
        return new long[] {flags & 0xffffffffL, 0L, BENEATH};
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
