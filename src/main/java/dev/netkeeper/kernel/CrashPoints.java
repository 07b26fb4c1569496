package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault injection: when the setting {@code netkeeper.test.crash-at} names a point, the process
 * SIGKILLs itself on reaching it, so crash-recovery tests can stop the agent between any two steps.
 * Unarmed (the default), {@link #reach} costs one volatile read.
 */
public final class CrashPoints {
    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);
    private static volatile String armed = "";

    private CrashPoints() {}

    public static void arm(String point) {
        armed = point == null ? "" : point;
        if (!armed.isEmpty()) {
            log.warn("crash point armed: the agent will SIGKILL itself at '{}'", armed);
        }
    }

    public static void reach(String point) {
        if (armed.equals(point)) {
            log.warn("crash point '{}' reached: SIGKILL", point);
            System.err.flush();
            Signals.killSelf();
        }
    }
}
