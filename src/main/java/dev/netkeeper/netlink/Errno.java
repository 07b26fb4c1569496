package dev.netkeeper.netlink;

import java.util.Map;

/** A Linux errno value with its symbolic name ({@code asm-generic/errno-base.h}, {@code errno.h}). */
public record Errno(int code) {
    public static final Errno EPERM = new Errno(1);
    public static final Errno ENOENT = new Errno(2);
    public static final Errno EBUSY = new Errno(16);
    public static final Errno EEXIST = new Errno(17);
    public static final Errno ENODEV = new Errno(19);
    public static final Errno EINVAL = new Errno(22);
    public static final Errno ERANGE = new Errno(34);
    public static final Errno EOPNOTSUPP = new Errno(95);
    public static final Errno EADDRNOTAVAIL = new Errno(99);
    public static final Errno ENETUNREACH = new Errno(101);

    private static final Map<Integer, String> SYMBOLS = Map.ofEntries(
            Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(3, "ESRCH"), Map.entry(4, "EINTR"),
            Map.entry(5, "EIO"), Map.entry(6, "ENXIO"), Map.entry(9, "EBADF"), Map.entry(11, "EAGAIN"),
            Map.entry(12, "ENOMEM"), Map.entry(13, "EACCES"), Map.entry(16, "EBUSY"), Map.entry(17, "EEXIST"),
            Map.entry(19, "ENODEV"), Map.entry(20, "ENOTDIR"), Map.entry(22, "EINVAL"), Map.entry(24, "EMFILE"),
            Map.entry(28, "ENOSPC"), Map.entry(54, "EXFULL"), Map.entry(34, "ERANGE"), Map.entry(93, "EPROTONOSUPPORT"),
            Map.entry(95, "EOPNOTSUPP"), Map.entry(97, "EAFNOSUPPORT"), Map.entry(99, "EADDRNOTAVAIL"),
            Map.entry(101, "ENETUNREACH"), Map.entry(105, "ENOBUFS"));

    /** "EEXIST", or "errno 123" for values without a name here. */
    public String symbol() {
        return SYMBOLS.getOrDefault(code, "errno " + code);
    }

    /** strerror(3): "File exists". */
    public String description() {
        return Libc.strerror(code);
    }

    @Override
    public String toString() {
        return symbol();
    }
}
