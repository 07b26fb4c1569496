package dev.netkeeper.api;

import org.apache.pekko.pattern.StatusReply;

import java.util.concurrent.TimeoutException;

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

    /** The error as a failed StatusReply, the form every reply of the protocol takes. */
    public <T> StatusReply<T> toReply() {
        return StatusReply.error(toWire());
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
        return new NetkeeperException(ErrorCode.INTERNAL, text);
    }

    /**
     * What came back from an ask or a future, as a typed error: ours as it is, a StatusReply error text
     * decoded, a timeout as TIMEOUT, anything else (after unwrapping) as INTERNAL.
     */
    public static NetkeeperException of(Throwable t) {
        if (t instanceof NetkeeperException n) {
            return n;
        }
        if (t instanceof StatusReply.ErrorMessage) {
            return fromWire(t.getMessage());
        }
        if (t instanceof TimeoutException) {
            return new NetkeeperException(ErrorCode.TIMEOUT, String.valueOf(t.getMessage()));
        }
        if (t.getCause() != null && t.getCause() != t) {
            return of(t.getCause()); // CompletionException, ExecutionException, AskTimeoutException, ...
        }
        return new NetkeeperException(ErrorCode.INTERNAL, String.valueOf(t));
    }

    @Override
    public String toString() {
        return toWire();
    }
}
