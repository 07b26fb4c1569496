package dev.netkeeper.cni;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.util.concurrent.CompletionException;

/**
 * netkeeper's typed errors as CNI error codes: a part that cannot be reached now is the spec's 11 (try again
 * later); every other code is its own number from 100 up, fixed here (a switch over every code: a new one does
 * not compile until it has its number), with netkeeper's message and the code's name as details.
 */
final class CniErrors {
    private CniErrors() {}

    static CniError of(Throwable failure) {
        Throwable t = cause(failure);
        if (t instanceof CniError e) {
            return e;
        }
        NetkeeperException e = NetkeeperException.of(t);
        int code = e.code().kind() == ErrorCode.Kind.UNAVAILABLE ? CniError.TRY_AGAIN_LATER : code(e.code());
        return new CniError(code, e.getMessage(), e.code().name());
    }

    static int code(ErrorCode c) {
        return switch (c) {
            case UNKNOWN_DRIVER -> 100;
            case NETWORK_EXISTS -> 101;
            case NO_SUCH_NETWORK -> 102;
            case INVALID_NAME -> 103;
            case INVALID_OPTION -> 104;
            case INVALID_REQUEST -> 105;
            case SUBNET_OVERLAP -> 106;
            case POOL_EXHAUSTED -> 107;
            case NO_SUCH_ENDPOINT -> 108;
            case UNKNOWN_INTERFACE -> 109;
            case INTERFACE_IN_USE -> 110;
            case DUPLICATE_DST_NAME -> 111;
            case NO_SUCH_INTERFACE -> 112;
            case PATH_NOT_ALLOWED -> 113;
            case NAMESPACE_EXISTS -> 114;
            case NO_SUCH_NAMESPACE -> 115;
            case NETWORK_IN_USE -> 116;
            case NAME_IN_USE -> 117;
            case QUOTA_EXCEEDED -> 118;
            case WRONG_HOST -> 119;
            case KERNEL -> 120;
            case JOURNAL -> 121;
            case HOST_UNAVAILABLE -> 122;
            case TIMEOUT -> 123;
            case INTERNAL -> 124;
            case PORT_IN_USE -> 125;
            case NOT_SUPPORTED -> 126;
            case ADDRESS_IN_USE -> 127;
            case KERNEL_DIFFERS -> 128;
            case PERMISSION_DENIED -> 129;
            case NO_SUCH_POOL -> 130;
            case NO_UNDERLAY -> 131;
        };
    }

    /** The netkeeper code of a failure, or null when it is none of netkeeper's (a CNI error of its own). */
    static ErrorCode netkeeperCode(Throwable failure) {
        return cause(failure) instanceof NetkeeperException e ? e.code() : null;
    }

    /** What failed, out of the CompletionExceptions a chain of stages wraps it in. */
    private static Throwable cause(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
