package dev.netkeeper.api;

/** Stable codes of the typed errors a client can receive. */
public enum ErrorCode {
    /** No driver of that type (or alias) is installed. */
    UNKNOWN_DRIVER,
    /** A network of that name exists already. */
    NETWORK_EXISTS,
    NO_SUCH_NETWORK,
    /** A name (network, endpoint, link, dstName) is empty, too long or has forbidden characters. */
    INVALID_NAME,
    /** An option is malformed or inconsistent: CIDR, gateway outside the subnet, MTU out of range... */
    INVALID_OPTION,
    /** The subnet overlaps another network's subnet or a route of the host. */
    SUBNET_OVERLAP,
    /** No address left in the subnet / range, or no free subnet in the default pools. */
    POOL_EXHAUSTED,
    NO_SUCH_ENDPOINT,
    /** The interface is not one that a network of this agent linked. */
    UNKNOWN_INTERFACE,
    /** The interface was already placed in a namespace. */
    INTERFACE_IN_USE,
    /** The namespace already has an interface of that name. */
    DUPLICATE_DST_NAME,
    NO_SUCH_INTERFACE,
    /** The namespace path is outside the allowed directories, has "..", or is a symlink. */
    PATH_NOT_ALLOWED,
    NAMESPACE_EXISTS,
    NO_SUCH_NAMESPACE,
    /** The network still has endpoints (delete it with force). */
    NETWORK_IN_USE,
    /** The kernel refused an operation; the message carries the errno and what was being done. */
    KERNEL,
    /** The interface lives on another host than the namespace it was to be added to. */
    WRONG_HOST,
    /** The host that must carry out the command is not reachable. */
    HOST_UNAVAILABLE,
    TIMEOUT
}
