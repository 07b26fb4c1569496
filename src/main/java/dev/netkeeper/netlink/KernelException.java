package dev.netkeeper.netlink;

/**
 * A syscall or netlink request the kernel refused: the errno, what we were doing, and the kernel's
 * own extended-ack text when it sent one. Message shape:
 * {@code EEXIST creating veth veth1a2b3c4 (peer eth0): File exists}.
 */
public final class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errno errno;
    private final String operation;
    private final String kernelMessage;

    public KernelException(Errno errno, String operation, String kernelMessage) {
        super(errno.symbol() + " " + operation + ": " + errno.description()
                + (kernelMessage == null || kernelMessage.isEmpty() ? "" : " (kernel: " + kernelMessage + ")"));
        this.errno = errno;
        this.operation = operation;
        this.kernelMessage = kernelMessage;
    }

    public KernelException(Errno errno, String operation) {
        this(errno, operation, null);
    }

    /** Builds the exception from the errno of the libc call that just failed on this thread. */
    static KernelException lastError(String operation) {
        return new KernelException(new Errno(Libc.errno()), operation);
    }

    public Errno errno() {
        return errno;
    }

    public String operation() {
        return operation;
    }

    /** The kernel's NLMSGERR_ATTR_MSG text, or null. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
