package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Kernel operations inside one network namespace: a netlink socket opened there, and the namespace
 * itself for the few things netlink cannot do (sysctls). Like vishvananda/netlink's Handle.
 * Every mutation is logged at DEBUG with the namespace, the operation and its result.
 */
public final class Handle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Handle.class);

    private final NetlinkSocket socket;
    private final NetNamespace namespace;
    private final boolean ownsNamespace;
    private final String label;
    private final LinkOps links = new LinkOps(this);
    private final AddressOps addresses = new AddressOps(this);
    private final RouteOps routes = new RouteOps(this);
    private final NeighOps neighbours = new NeighOps(this);
    private final Sysctl sysctl = new Sysctl(this);

    private Handle(NetlinkSocket socket, NetNamespace namespace, boolean ownsNamespace, String label) {
        this.socket = socket;
        this.namespace = namespace;
        this.ownsNamespace = ownsNamespace;
        this.label = label;
    }

    /** A handle inside {@code namespace}; the caller keeps ownership of the namespace descriptor. */
    public static Handle open(NetNamespace namespace) {
        return new Handle(namespace.call(NetlinkSocket::open), namespace, false, namespace.name());
    }

    /** A handle in the calling thread's own namespace, labelled {@code label} in logs ("host"). */
    public static Handle current(String label) {
        NetNamespace self = NetNamespace.current();
        try {
            return new Handle(NetlinkSocket.open(), self, true, label);
        } catch (RuntimeException e) {
            self.close();
            throw e;
        }
    }

    public LinkOps links() {
        return links;
    }

    public AddressOps addresses() {
        return addresses;
    }

    public RouteOps routes() {
        return routes;
    }

    /** Neighbour (ARP / NDISC) entries and devices' own FDBs. */
    public NeighOps neighbours() {
        return neighbours;
    }

    public Sysctl sysctl() {
        return sysctl;
    }

    public NetNamespace namespace() {
        return namespace;
    }

    public String label() {
        return label;
    }

    /** A request that changes the kernel: acknowledged, logged. */
    void mutate(String operation, MessageBuilder request) {
        try {
            socket.request(request, operation);
            log.debug("ns={} op=\"{}\" result=ok", label, operation);
        } catch (KernelException e) {
            log.debug("ns={} op=\"{}\" result={}", label, operation, e.errno());
            throw e;
        }
    }

    /** Logs a change made without netlink (a sysctl write). */
    void logged(String operation, Runnable change) {
        try {
            change.run();
            log.debug("ns={} op=\"{}\" result=ok", label, operation);
        } catch (RuntimeException e) {
            log.debug("ns={} op=\"{}\" result={}", label, operation, e.getMessage());
            throw e;
        }
    }

    List<NetlinkMessage> query(String operation, MessageBuilder request) {
        return socket.request(request, operation);
    }

    List<NetlinkMessage> dump(String operation, MessageBuilder request) {
        return socket.dump(request, operation);
    }

    @Override
    public void close() {
        socket.close();
        if (ownsNamespace) {
            namespace.close();
        }
    }
}
