package dev.netkeeper.netlink;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A network namespace held open by a file descriptor. Namespaces are mounted on a path the way
 * {@code ip netns add} does it, so one under /var/run/netns is usable with {@code ip -n NAME}.
 *
 * <p>setns(2) changes the namespace of the calling thread only. {@link #call} enters and leaves on the
 * caller's thread, which must therefore be a platform thread that nothing else uses meanwhile
 * (the netlink actor's pinned thread, a test thread): never a pooled or virtual thread.
 */
public final class NetNamespace implements AutoCloseable {
    private static final String THREAD_NS = "/proc/thread-self/ns/net";
    private static final java.util.regex.Pattern PROCESS_NAMESPACE = java.util.regex.Pattern.compile("/proc/[0-9]+/ns/net");

    private final Path path;
    private final int fd;
    private boolean closed;

    private NetNamespace(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Creates a namespace and bind-mounts it on {@code path}: unshare(CLONE_NEWNET) on a short-lived
     * helper thread, then mount its /proc/self/task/TID/ns/net on the path. The helper thread ends
     * inside the new namespace, so no thread of the agent is left switched.
     */
    public static NetNamespace create(Path path) {
        String op = "creating namespace " + path;
        try {
            Files.createDirectories(path.getParent());
            NamespaceRoot.share(path.getParent().toRealPath()); // as ip netns does: nobody's later bind covers it
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new KernelException(Errno.EEXIST, op);
        } catch (IOException e) {
            throw new KernelException(Errno.EPERM, op, e.getMessage());
        }
        RuntimeException failure = mountNew(path.toString(), op, ns -> {});
        if (failure != null) {
            deleteQuietly(path);
            throw failure;
        }
        return open(path);
    }

    /**
     * unshare(CLONE_NEWNET) on a short-lived helper thread and bind-mount its namespace on {@code target};
     * the helper ends inside the new namespace, so no thread of the agent is left switched. {@code prepare} runs
     * inside the namespace before it is mounted (nothing can see it yet). The failure, or null.
     */
    private static RuntimeException mountNew(String target, String op, Consumer<Handle> prepare) {
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread helper = new Thread(() -> {
            if (Libc.unshare(Libc.CLONE_NEWNET) < 0) {
                failure.set(KernelException.lastError(op + " (unshare)"));
                return;
            }
            try (Handle inside = Handle.current("new namespace")) {
                prepare.accept(inside);
            } catch (RuntimeException e) {
                failure.set(e);
                return;
            }
            String self = "/proc/self/task/" + Libc.gettid() + "/ns/net";
            if (Libc.mount(self, target, "none", Libc.MS_BIND, null) < 0) {
                failure.set(KernelException.lastError(op + " (bind mount)"));
            }
        }, "netns-create");
        helper.start();
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new IllegalStateException("interrupted " + op));
        }
        return failure.get();
    }

    /**
     * As {@link #create(Path)}, for {@code rel} beneath {@code root}: the mount point is made, the namespace
     * mounted on it and opened through descriptors resolved beneath the root, never through a path that a
     * symlink could redirect. {@code prepare} runs inside the new namespace before it is mounted, so that what
     * it does (e.g. a mark of ownership) is there from the first moment the namespace can be seen.
     */
    public static NetNamespace create(NamespaceRoot root, Path rel, Consumer<Handle> prepare) {
        Path path = root.resolved(rel);
        String op = "creating namespace " + path;
        root.createMountPoint(rel);
        int target = root.openFile(rel, op);
        RuntimeException failure;
        try {
            failure = mountNew("/proc/self/fd/" + target, op, prepare); // the very file made above, not a path again
        } finally {
            Libc.close(target);
        }
        if (failure != null) {
            root.remove(rel);
            throw failure;
        }
        return open(root, rel);
    }

    /** As {@link #create(NamespaceRoot, Path, Consumer)}, with nothing to prepare. */
    public static NetNamespace create(NamespaceRoot root, Path rel) {
        return create(root, rel, inside -> {});
    }

    /** Opens the namespace mounted at {@code rel} beneath {@code root}. */
    public static NetNamespace open(NamespaceRoot root, Path rel) {
        Path path = root.resolved(rel);
        int at = root.openFile(rel, "opening namespace " + path);
        try {
            // an O_PATH descriptor cannot setns: reopen the very file it names
            int fd = Libc.open("/proc/self/fd/" + at, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw KernelException.lastError("opening namespace " + path);
            }
            return new NetNamespace(path, fd);
        } finally {
            Libc.close(at);
        }
    }

    /** As {@link #delete(Path)}, beneath {@code root}: a symlink at or above {@code rel} is refused, never followed. */
    public static void delete(NamespaceRoot root, Path rel) {
        root.remove(rel);
    }

    /** Opens an existing namespace (a mounted path, or /proc/PID/ns/net). */
    public static NetNamespace open(Path path) {
        int fd = Libc.open(path.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) {
            throw KernelException.lastError("opening namespace " + path);
        }
        return new NetNamespace(path, fd);
    }

    /** The calling thread's namespace. */
    public static NetNamespace current() {
        return open(Path.of(THREAD_NS));
    }

    /**
     * Unmounts (lazily, like {@code ip netns del}) and removes the path. The namespace itself lives on
     * while something still holds it (an open descriptor, a process inside).
     */
    public static void delete(Path path) {
        String op = "deleting namespace " + path;
        boolean unmounted = Libc.umount2(path.toString(), Libc.MNT_DETACH) == 0;
        int umountErrno = unmounted ? 0 : Libc.errno();
        boolean removed;
        try {
            removed = Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new KernelException(Errno.EBUSY, op, e.getMessage());
        }
        if (!unmounted && !removed) {
            throw new KernelException(new Errno(umountErrno == Errno.EINVAL.code() ? Errno.ENOENT.code()
                    : umountErrno), op);
        }
    }

    /**
     * True when {@code path} is a mount point (as a namespace bind mount is): its device differs from
     * its directory's. Two stat calls; reading /proc/self/mountinfo instead costs milliseconds once
     * hundreds of namespaces are mounted.
     */
    public static boolean isMounted(Path path) {
        try {
            Path parent = path.toAbsolutePath().normalize().getParent();
            return parent != null && Files.exists(path)
                    && !Files.getAttribute(path, "unix:dev").equals(Files.getAttribute(parent, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * What identifies the namespace mounted at {@code path}, "dev:ino" of its nsfs inode (the same through
     * every bind mount of it, different for any other namespace); empty when nothing is mounted there.
     */
    public static Optional<String> identity(Path path) {
        return isMounted(path) || isProcessNamespace(path) ? identityOf(path) : Optional.empty();
    }

    /** {@code /proc/PID/ns/net}: a process's own namespace (gone with the process). */
    public static boolean isProcessNamespace(Path path) {
        return PROCESS_NAMESPACE.matcher(path.toString()).matches();
    }

    /** "dev:ino" of whatever {@code path} leads to (e.g. /proc/self/ns/net), mounted or not. */
    public static Optional<String> identityOf(Path path) {
        try {
            return Optional.of(Files.getAttribute(path, "unix:dev") + ":" + Files.getAttribute(path, "unix:ino"));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Whether a network namespace is at {@code path}: nsfs mounted there, or a live process's own. */
    public static boolean isNamespace(Path path) {
        if (isProcessNamespace(path)) {
            return Files.exists(path);
        }
        try {
            return isMounted(path) && Files.getFileStore(path).type().equals("nsfs");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * True when {@code path} still holds this very namespace (same nsfs inode as our descriptor): two
     * stat calls, cheap enough to check before every use of a cached handle.
     */
    public boolean isMountedAt(Path path) {
        checkOpen();
        try {
            Path ours = Path.of("/proc/self/fd/" + fd);
            return Files.getAttribute(path, "unix:ino").equals(Files.getAttribute(ours, "unix:ino"))
                    && Files.getAttribute(path, "unix:dev").equals(Files.getAttribute(ours, "unix:dev"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Libc.umount2(path.toString(), Libc.MNT_DETACH);
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort clean-up of our own half-made mount point
        }
    }

    /** Runs {@code work} with the calling thread inside this namespace, and switches back afterwards. */
    public <T> T call(Callable<T> work) {
        checkOpen();
        int home = Libc.open(THREAD_NS, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (home < 0) {
            throw KernelException.lastError("opening the calling thread's namespace");
        }
        try {
            if (Libc.setns(fd, Libc.CLONE_NEWNET) < 0) {
                throw KernelException.lastError("entering namespace " + path);
            }
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.getMessage(), e);
            } finally {
                if (Libc.setns(home, Libc.CLONE_NEWNET) < 0) {
                    // The thread would go on working in the wrong namespace: better to fail loudly.
                    throw new IllegalStateException("cannot return from namespace " + path + ": errno " + Libc.errno());
                }
            }
        } finally {
            Libc.close(home);
        }
    }

    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    public Path path() {
        return path;
    }

    /** The descriptor, for IFLA_NET_NS_FD. Valid until {@link #close()}. */
    public int fd() {
        checkOpen();
        return fd;
    }

    /** A short label for logs and errors: the file name of the path. */
    public String name() {
        return path.getFileName() == null ? path.toString() : path.getFileName().toString();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("namespace handle " + path + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return "netns " + path;
    }
}
