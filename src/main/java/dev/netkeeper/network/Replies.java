package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.pattern.StatusReply;

import java.util.concurrent.TimeoutException;

/** Turning what came back from an ask into a typed error. */
public final class Replies {
    private Replies() {}

    public static NetkeeperException typed(Throwable t) {
        if (t instanceof NetkeeperException n) {
            return n;
        }
        if (t instanceof StatusReply.ErrorMessage) {
            return NetkeeperException.fromWire(t.getMessage());
        }
        if (t instanceof TimeoutException || (t.getCause() instanceof TimeoutException)) {
            return new NetkeeperException(ErrorCode.TIMEOUT, String.valueOf(t.getMessage()));
        }
        if (t.getCause() != null && t.getCause() != t) {
            return typed(t.getCause());
        }
        return new NetkeeperException(ErrorCode.KERNEL, String.valueOf(t));
    }

    public static <T> StatusReply<T> error(NetkeeperException e) {
        return StatusReply.error(e.toWire());
    }

    public static <T> StatusReply<T> error(ErrorCode code, String message) {
        return StatusReply.error(new NetkeeperException(code, message).toWire());
    }
}
