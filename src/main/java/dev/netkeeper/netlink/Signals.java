package dev.netkeeper.netlink;

/** Signals to this process. */
public final class Signals {
    private static final int SIGKILL = 9;

    private Signals() {}

    /** SIGKILL to ourselves: no shutdown hook, no flush, exactly like an operator's kill -9. */
    public static void killSelf() {
        Libc.kill((int) ProcessHandle.current().pid(), SIGKILL);
    }
}
