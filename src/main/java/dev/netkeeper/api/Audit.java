package dev.netkeeper.api;

/**
 * Who asked for a change, and when: carried by every journaled event.
 *
 * @param requestId the command's request id (a retry carries the same one)
 * @param atMillis  when the event was journaled, UTC epoch milliseconds
 * @param origin    who asked, as the door proved it ("unix:USER", "tls:CN=NAME", then " as DECLARED"), or "agent" for changes
 *                  the agent makes on its own (recovery, rollback)
 */
public record Audit(String requestId, long atMillis, String origin) {
    public static Audit now(String requestId, String origin) {
        return new Audit(requestId, System.currentTimeMillis(), origin == null ? "local" : origin);
    }

    /** The same request and origin, stamped with the time it is journaled (now). */
    public Audit journaledNow() {
        return new Audit(requestId, System.currentTimeMillis(), origin);
    }

    public static Audit agent(String why) {
        return new Audit("agent:" + why, System.currentTimeMillis(), "agent");
    }
}
