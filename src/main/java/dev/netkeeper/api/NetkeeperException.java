package dev.netkeeper.api;

/**
 * A typed error. On the wire it travels as a StatusReply error text {@code "CODE: message"}, which
 * {@link #fromWire} turns back into this exception on the client side.
 */
public final class NetkeeperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public NetkeeperException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    /** "INVALID_OPTION: gateway 10.2.0.1 is outside subnet 10.1.0.0/24". */
    public String toWire() {
        return code.name() + ": " + getMessage();
    }

    public static NetkeeperException fromWire(String text) {
        int colon = text.indexOf(": ");
        if (colon > 0) {
            try {
                return new NetkeeperException(ErrorCode.valueOf(text.substring(0, colon)), text.substring(colon + 2));
            } catch (IllegalArgumentException notACode) {
                // fall through: an error text that did not come from us
            }
        }
        return new NetkeeperException(ErrorCode.KERNEL, text);
    }

    @Override
    public String toString() {
        return toWire();
    }
}
