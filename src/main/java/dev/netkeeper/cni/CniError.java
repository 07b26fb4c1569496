package dev.netkeeper.cni;

/**
 * A CNI error result (spec "Error"): {@code code} 1-99 are the spec's own, 100 and above netkeeper's typed codes
 * ({@link CniErrors}). Thrown anywhere in a call and written, as the spec asks, on stdout with a non-zero exit.
 */
public final class CniError extends RuntimeException {
    /** The spec's well-known codes (CNI SPEC "Error": 1-7, 11, 50). */
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODING_FAILURE = 6;
    public static final int INVALID_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;

    private final int code;
    private final String details;

    public CniError(int code, String message) {
        this(code, message, null);
    }

    public CniError(int code, String message, String details) {
        super(message);
        this.code = code;
        this.details = details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
