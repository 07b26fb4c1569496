package dev.netkeeper.network;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.apache.pekko.pattern.StatusReply;

/** Turning what came back from an ask into a typed error. */
public final class Replies {
    private Replies() {}

    public static NetkeeperException typed(Throwable t) {
        return NetkeeperException.of(t);
    }

    public static <T> StatusReply<T> error(NetkeeperException e) {
        return StatusReply.error(e.toWire());
    }

    public static <T> StatusReply<T> error(ErrorCode code, String message) {
        return StatusReply.error(new NetkeeperException(code, message).toWire());
    }
}
