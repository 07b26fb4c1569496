package dev.netkeeper.netlink;

/** A link name the kernel would refuse, caught before any syscall. */
public final class InvalidNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidNameException(String message) {
        super(message);
    }
}
