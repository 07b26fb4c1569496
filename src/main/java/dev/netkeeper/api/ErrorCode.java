package dev.netkeeper.api;

/**
 * Every typed error a caller can receive, with what it means and what kind of failure it is: the one
 * table that each door (Artery clients, and later the local HTTP API, CNI and Docker) maps to its own
 * status codes through {@link Kind}.
 */
public enum ErrorCode {
    UNKNOWN_DRIVER(Kind.INPUT, "no network driver of that type (or alias) is installed"),
    NETWORK_EXISTS(Kind.CONFLICT, "a network of that name exists already"),
    NO_SUCH_NETWORK(Kind.NOT_FOUND, "no network of that name"),
    INVALID_NAME(Kind.INPUT, "a name (network, endpoint, link, dstName) is empty, too long or has forbidden characters"),
    INVALID_OPTION(Kind.INPUT, "an option is malformed or inconsistent: CIDR, gateway outside the subnet, MTU out of range..."),
    INVALID_REQUEST(Kind.INPUT, "the request itself is malformed: a required field is missing, or it is not a request"),
    SUBNET_OVERLAP(Kind.CONFLICT, "the subnet overlaps another network's subnet or a route of the host"),
    POOL_EXHAUSTED(Kind.CONFLICT, "no address left in the subnet or range, or no free subnet in the default pools"),
    NO_SUCH_ENDPOINT(Kind.NOT_FOUND, "the network has no endpoint of that name"),
    UNKNOWN_INTERFACE(Kind.NOT_FOUND, "the interface is not one that a network of this cluster linked"),
    INTERFACE_IN_USE(Kind.CONFLICT, "the interface was already placed in a namespace"),
    DUPLICATE_DST_NAME(Kind.CONFLICT, "the namespace already has an interface of that name"),
    NO_SUCH_INTERFACE(Kind.NOT_FOUND, "the namespace has no interface of that name"),
    PATH_NOT_ALLOWED(Kind.INPUT, "the namespace path is outside the allowed directories, has \"..\", or is a symlink"),
    NAMESPACE_EXISTS(Kind.CONFLICT, "a namespace is already at that path"),
    NO_SUCH_NAMESPACE(Kind.NOT_FOUND, "no namespace at that path"),
    NETWORK_IN_USE(Kind.CONFLICT, "the network still has endpoints (delete it with force)"),
    NAME_IN_USE(Kind.CONFLICT, "a link of that name exists and is not netkeeper's own for this: it is never adopted, changed or deleted"),
    QUOTA_EXCEEDED(Kind.CONFLICT, "a quota of the agent (netkeeper.quotas) is reached: networks, endpoints of a network"),
    WRONG_HOST(Kind.CONFLICT, "the interface lives on another host than the namespace it was to be added to"),
    KERNEL(Kind.INTERNAL, "the kernel refused an operation; the message carries the errno and what was being done"),
    JOURNAL(Kind.UNAVAILABLE, "the journal could not be read or written"),
    HOST_UNAVAILABLE(Kind.UNAVAILABLE, "the host that must carry out the command is not reachable"),
    TIMEOUT(Kind.UNAVAILABLE, "no answer in time; the same request (same id) may be sent again"),
    INTERNAL(Kind.INTERNAL, "the agent failed in a way it did not expect; its log has the details"),
    PORT_IN_USE(Kind.CONFLICT, "the host port (protocol, host address) is published already, or bound by a process on the host"),
    NOT_SUPPORTED(Kind.INPUT, "the network cannot do that: publishing on an internal network, or a driver without the feature"),
    ADDRESS_IN_USE(Kind.CONFLICT, "the address or MAC asked for is held by another endpoint of the network"),
    KERNEL_DIFFERS(Kind.CONFLICT, "the kernel does not match the journal: the message names each interface, address or route that differs"),
    PERMISSION_DENIED(Kind.DENIED, "the caller may not use this door (the local API serves root and the netkeeper group; the client door, a session opened with client credentials)"),
    NO_SUCH_POOL(Kind.NOT_FOUND, "no address pool of that id (RequestPool gives the ids)"),
    NO_UNDERLAY(Kind.INPUT, "an overlay network needs an underlay address on the host (netkeeper.overlay.underlay-address)");

    /** What kind of failure a code is: what an adapter turns into its own status (HTTP, CNI, Docker). */
    /** What kind of failure, and the HTTP status that says it (the local API's one mapping). */
    public enum Kind {
        /** The caller's input is wrong; the same request will fail again. */
        INPUT(400),
        /** The request names something that does not exist. */
        NOT_FOUND(404),
        /** The request contradicts the current state (exists already, in use, overlaps). */
        CONFLICT(409),
        /** A part of the system cannot be reached now; trying again later may succeed. */
        UNAVAILABLE(503),
        /** The agent or the kernel failed. */
        INTERNAL(500),
        /** The caller is not one the door serves. */
        DENIED(403);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;
    private final String meaning;

    ErrorCode(Kind kind, String meaning) {
        this.kind = kind;
        this.meaning = meaning;
    }

    public Kind kind() {
        return kind;
    }

    /** One line for the documentation and for a caller that does not know the code. */
    public String meaning() {
        return meaning;
    }
}
