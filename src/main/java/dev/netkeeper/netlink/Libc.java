package dev.netkeeper.netlink;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls the kernel layer needs, bound with JNA direct mapping (no proxy per call).
 * errno is read with {@code Native.getLastError()}, which JNA saves after every call on this thread.
 * Assumes an LP64 Linux ABI (size_t and ssize_t are 64-bit), as on x86_64 and aarch64.
 */
final class Libc {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {}

    // socket.h / fcntl.h / sched.h / mount.h constants (x86_64 and aarch64 values agree)
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 4096;
    static final long MS_REC = 16384;        // linux/mount.h
    static final long MS_SHARED = 1L << 20;  // linux/mount.h
    static final int MNT_DETACH = 2;
    static final int MSG_PEEK = 0x2;
    static final int MSG_TRUNC = 0x20;
    static final int EINTR = 4;
    // fcntl.h, openat2.h, sys/mount.h, asm/unistd_64.h. O_DIRECTORY and O_NOFOLLOW differ by architecture:
    // asm-generic/fcntl.h (x86_64) has 0200000 and 0400000, arm64's asm/fcntl.h 040000 and 0100000.
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_DIRECTORY = Platform.isARM() ? 040000 : 0200000;
    static final int O_NOFOLLOW = Platform.isARM() ? 0100000 : 0400000;
    static final int O_PATH = 010000000;
    static final long RESOLVE_NO_MAGICLINKS = 0x02;
    static final long RESOLVE_NO_SYMLINKS = 0x04;
    static final long RESOLVE_BENEATH = 0x08;
    static final int UMOUNT_NOFOLLOW = 8;
    /** __NR_openat2: the same number on x86_64 and in asm-generic (aarch64); Debian 12's glibc has no wrapper. */
    static final long SYS_OPENAT2 = 437;

    static native int socket(int domain, int type, int protocol);

    static native int bind(int fd, byte[] sockaddr, int addrlen);

    static native int setsockopt(int fd, int level, int optname, int[] optval, int optlen);

    static native long sendto(int fd, byte[] buf, long len, int flags, byte[] sockaddr, int addrlen);

    static native long recvfrom(int fd, Pointer buf, long len, int flags, Pointer sockaddr, Pointer addrlen);

    static native int close(int fd);

    static native int open(String path, int flags, int mode);

    static native int setns(int fd, int nstype);

    static native int unshare(int flags);

    static native int mount(String source, String target, String fstype, long flags, Pointer data);

    static native int umount2(String target, int flags);

    static native int openat(int dirfd, String path, int flags, int mode);

    static native int unlinkat(int dirfd, String path, int flags);

    /**
     * syscall(2) for openat2(dirfd, path, how, sizeof how): {@code how} is struct open_how, three u64
     * (flags, mode, resolve). Called with fixed arguments; the variadic ABI takes integer and pointer
     * arguments in the same registers on x86_64 and aarch64.
     */
    static native int syscall(long number, int dirfd, String path, long[] how, long size);

    /** glibc 2.30+ wrapper of syscall(SYS_gettid): portable across architectures. */
    static native int gettid();

    static native String strerror(int errnum);

    static native int kill(int pid, int signal);

    static int errno() {
        return Native.getLastError();
    }
}
