package dev.netkeeper.http;

/**
 * Who is on the other end of a connection to the socket, as the kernel says (SO_PEERCRED): the user and
 * the primary group of the process that connected. What the audit log records as the origin.
 */
record Caller(String user, String group) {
    /** The audit origin: "unix:USER", plus what the caller declared itself to be, if anything. */
    String origin(String declared) {
        return "unix:" + user + (declared == null || declared.isBlank() ? "" : " as " + declared.strip());
    }
}
