package dev.netkeeper.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.apache.pekko.Done;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The public commands: everything a client may ask of an agent, and nothing else. {@code R} is the
 * reply. Changing requests carry an {@link Audit} whose request id makes a retry safe (the agent
 * answers a repeated id from its journal). A namespace is named by its host and path; a null or empty
 * host is the host of the agent asked. On the wire each request is named by the stable type name
 * listed here (never by its class).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "@request")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Request.CreateNetwork.class, name = "network.create"),
        @JsonSubTypes.Type(value = Request.GetNetwork.class, name = "network.get"),
        @JsonSubTypes.Type(value = Request.ListNetworks.class, name = "network.list"),
        @JsonSubTypes.Type(value = Request.LocateNetwork.class, name = "network.locate"),
        @JsonSubTypes.Type(value = Request.DeleteNetwork.class, name = "network.delete"),
        @JsonSubTypes.Type(value = Request.Link.class, name = "link"),
        @JsonSubTypes.Type(value = Request.Unlink.class, name = "unlink"),
        @JsonSubTypes.Type(value = Request.Publish.class, name = "publish"),
        @JsonSubTypes.Type(value = Request.Unpublish.class, name = "unpublish"),
        @JsonSubTypes.Type(value = Request.CreateNamespace.class, name = "namespace.create"),
        @JsonSubTypes.Type(value = Request.UseNamespace.class, name = "namespace.use"),
        @JsonSubTypes.Type(value = Request.GetNamespace.class, name = "namespace.get"),
        @JsonSubTypes.Type(value = Request.ListNamespaces.class, name = "namespace.list"),
        @JsonSubTypes.Type(value = Request.DeleteNamespace.class, name = "namespace.delete"),
        @JsonSubTypes.Type(value = Request.CheckNamespace.class, name = "namespace.check"),
        @JsonSubTypes.Type(value = Request.AddInterface.class, name = "namespace.add-interface"),
        @JsonSubTypes.Type(value = Request.RemoveInterface.class, name = "namespace.remove-interface"),
        @JsonSubTypes.Type(value = Request.RequestPool.class, name = "pool.request"),
        @JsonSubTypes.Type(value = Request.ReleasePool.class, name = "pool.release"),
        @JsonSubTypes.Type(value = Request.RequestAddress.class, name = "pool.request-address"),
        @JsonSubTypes.Type(value = Request.ReleaseAddress.class, name = "pool.release-address"),
        @JsonSubTypes.Type(value = Request.ListHosts.class, name = "host.list"),
        @JsonSubTypes.Type(value = Request.Describe.class, name = "agent.describe"),
        @JsonSubTypes.Type(value = Request.QueryAudit.class, name = "audit.query"),
        @JsonSubTypes.Type(value = Request.QueryStateAt.class, name = "audit.state-at"),
})
public sealed interface Request<R> {
    /** Page sizes of listings: the default, and the most one reply holds (it must fit one remote message). */
    int PAGE = 500;
    int MAX_PAGE = 1000;

    /** {@code limit} as a page size: 0 or less is the default, more than the maximum is the maximum. */
    static int pageSize(int limit) {
        return limit <= 0 ? PAGE : Math.min(limit, MAX_PAGE);
    }

    /** {@code options} null: the defaults; {@code host}: where the bridge is set up first (null: the agent's). */
    record CreateNetwork(String name, String type, @Nullable NetworkOptions options, @Nullable String host,
                         Audit audit) implements Request<NetworkInfo> {
        @Override
        public Request<NetworkInfo> attributedTo(Audit a) {
            return new CreateNetwork(name, type, options, host, a);
        }
    }

    /**
     * The network with one page of its endpoints, in name order: those after {@code endpointsAfter} (null:
     * from the first), at most {@code endpointsLimit} (0: {@link #PAGE}; never more than {@link #MAX_PAGE}).
     */
    record GetNetwork(String name, @Nullable String endpointsAfter, int endpointsLimit) implements Request<NetworkInfo> {
        public GetNetwork(String name) {
            this(name, null, 0);
        }
    }

    /** One page of the network names of the cluster, sorted; {@code after} and {@code limit} as for endpoints. */
    record ListNetworks(@Nullable String after, int limit) implements Request<Names> {
        public ListNetworks() {
            this(null, 0);
        }
    }

    record LocateNetwork(String name) implements Request<Location> {}

    /** With endpoints left, only when {@code force}. */
    record DeleteNetwork(String name, boolean force, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new DeleteNetwork(name, force, a);
        }
    }

    /**
     * Allocates (or returns, when already linked) the interfaces of {@code endpoint}, made on {@code host}
     * (null: the host of the agent asked, or where the endpoint already is); {@code options} may name the namespace
     * of that host the interface is born in ({@link LinkOptions}).
     */
    record Link(String network, String endpoint, @Nullable String host, Audit audit, @Nullable LinkOptions options)
            implements Request<Interfaces> {
        /** The seed's link: the container end stays in the host. */
        public Link(String network, String endpoint, String host, Audit audit) {
            this(network, endpoint, host, audit, null);
        }

        @Override
        public Request<Interfaces> attributedTo(Audit a) {
            return new Link(network, endpoint, host, a, options);
        }

        /** The namespace the interface is born in, or none (the seed's two steps). */
        public boolean oneStep() {
            return options != null && options.namesNamespace();
        }
    }

    /** Publishes more host ports to a linked endpoint; answers its interfaces and every port it publishes now. */
    record Publish(String network, String endpoint, List<PortMapping> ports, Audit audit) implements Request<Interfaces> {
        public Publish {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        @Override
        public Request<Interfaces> attributedTo(Audit a) {
            return new Publish(network, endpoint, ports, a);
        }
    }

    /**
     * Stops publishing host ports to the endpoint: each mapping matches the endpoint's by protocol and host port (host
     * port 0: by container port), and host address when it names one. Ports it does not publish are no error.
     */
    record Unpublish(String network, String endpoint, List<PortMapping> ports, Audit audit) implements Request<Interfaces> {
        public Unpublish {
            ports = ports == null ? List.of() : List.copyOf(ports);
        }

        @Override
        public Request<Interfaces> attributedTo(Audit a) {
            return new Unpublish(network, endpoint, ports, a);
        }
    }

    record Unlink(String network, String endpoint, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new Unlink(network, endpoint, a);
        }
    }

    record CreateNamespace(@Nullable String host, String path, Audit audit) implements Request<NamespaceInfo> {
        @Override
        public Request<NamespaceInfo> attributedTo(Audit a) {
            return new CreateNamespace(host, path, a);
        }
    }

    /**
     * Registers a namespace someone else made (a container runtime's, mounted at {@code path} under the
     * agent's roots): interfaces may be added to it and removed, and deleting it only forgets it (its
     * interfaces go back to the host); netkeeper never unmounts it. It is known by its nsfs inode: once
     * another namespace is at the path, it is not used. The agent's own host namespace is refused.
     */
    record UseNamespace(@Nullable String host, String path, Audit audit) implements Request<NamespaceInfo> {
        @Override
        public Request<NamespaceInfo> attributedTo(Audit a) {
            return new UseNamespace(host, path, a);
        }
    }

    record GetNamespace(@Nullable String host, String path) implements Request<NamespaceInfo> {}

    /** One page of the ids ("host:path") of every namespace the journal knows, deleted ones included, sorted. */
    record ListNamespaces(@Nullable String after, int limit) implements Request<Names> {
        public ListNamespaces() {
            this(null, 0);
        }
    }

    record DeleteNamespace(@Nullable String host, String path, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new DeleteNamespace(host, path, a);
        }
    }

    /**
     * Whether the kernel holds the namespace's interfaces as the journal says (each one there under its name with its
     * MAC, up, its MTU, addresses and default routes): done, or {@code KERNEL_DIFFERS} naming what differs. Reads only.
     * {@code dstName}: only that interface (null: all of them).
     */
    record CheckNamespace(@Nullable String host, String path, @Nullable String dstName) implements Request<Done> {
        public CheckNamespace(String host, String path) {
            this(host, path, null);
        }
    }

    /**
     * Adds an interface that a network linked, found by its srcName; its dstName is taken as is when it
     * ends in a digit, else used as a prefix for the lowest free index.
     */
    record AddInterface(@Nullable String host, String path, Interface iface, Audit audit)
            implements Request<AddedInterface> {
        @Override
        public Request<AddedInterface> attributedTo(Audit a) {
            return new AddInterface(host, path, iface, a);
        }
    }

    /** Sends the interface back to the host (libnetwork's Leave); the endpoint stays linked. */
    record RemoveInterface(@Nullable String host, String path, String dstName, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new RemoveInterface(host, path, dstName, a);
        }
    }

    /**
     * An address pool for an IPAM outside netkeeper's networks (Docker's {@code IpamDriver.RequestPool}), journaled and
     * reference counted: {@code pool} (a subnet; null: one carved from the default pools, away from every network, pool
     * and route of {@code host}), allocating from {@code subPool} (null: all of it). The same pool and sub-pool asked
     * again is the same pool, held once more; one overlapping another network or pool is refused (SUBNET_OVERLAP).
     */
    record RequestPool(@Nullable String pool, @Nullable String subPool, boolean ipv6, @Nullable String host,
                       Audit audit) implements Request<PoolLease> {
        @Override
        public Request<PoolLease> attributedTo(Audit a) {
            return new RequestPool(pool, subPool, ipv6, host, a);
        }
    }

    /** Lets go of one hold on the pool: gone with its addresses once nobody holds it. An unknown pool is no error. */
    record ReleasePool(String poolId, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new ReleasePool(poolId, a);
        }
    }

    /**
     * An address of the pool: {@code address} (without prefix; ADDRESS_IN_USE when handed out already), else the next
     * free one. {@code gateway}: the network's gateway (Docker's {@code com.docker.network.gateway} request type).
     */
    record RequestAddress(String poolId, @Nullable String address, boolean gateway, Audit audit)
            implements Request<PoolAddress> {
        @Override
        public Request<PoolAddress> attributedTo(Audit a) {
            return new RequestAddress(poolId, address, gateway, a);
        }
    }

    /** Gives an address back to its pool; one not handed out is no error. */
    record ReleaseAddress(String poolId, String address, Audit audit) implements Request<Done> {
        @Override
        public Request<Done> attributedTo(Audit a) {
            return new ReleaseAddress(poolId, address, a);
        }
    }

    record ListHosts() implements Request<Hosts> {}

    /** Which agent this is. */
    record Describe() implements Request<AgentInfo> {}

    /** One page of the audit trail; {@code query} null: everything, one default page. */
    record QueryAudit(@Nullable AuditQuery query) implements Request<AuditPage> {}

    /** Networks and namespaces as they were at an instant; {@code network} null: all of them. */
    record QueryStateAt(long atMillis, @Nullable String network) implements Request<StateAt> {}

    /**
     * The same request attributed to {@code audit}: a door that knows its caller (the unix socket's peer)
     * records that caller as the origin, whatever the request said. Requests that change nothing carry none.
     */
    default Request<R> attributedTo(Audit audit) {
        return this;
    }

    /**
     * The audit a changing request carries, or null (one that changes nothing, or one that lacks it): a door that
     * attributes the request to its caller keeps its request id, which makes a retry safe.
     */
    @JsonIgnore
    default Audit carriedAudit() {
        for (RecordComponent c : getClass().getRecordComponents()) {
            if (c.getType() == Audit.class) {
                try {
                    return (Audit) c.getAccessor().invoke(this);
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException("reading the audit of " + getClass().getSimpleName(), e);
                }
            }
        }
        return null;
    }

    /** The request's stable type name on the wire ("network.create"), as listed above. */
    static String typeName(Request<?> request) {
        for (JsonSubTypes.Type t : Request.class.getAnnotation(JsonSubTypes.class).value()) {
            if (t.value() == request.getClass()) {
                return t.name();
            }
        }
        throw new IllegalArgumentException("a request type without a name: " + request.getClass());
    }

    /** The names of the required fields that are null: a request with any is refused as INVALID_REQUEST. */
    @JsonIgnore
    default List<String> missingFields() {
        List<String> missing = new ArrayList<>();
        for (RecordComponent c : getClass().getRecordComponents()) {
            if (c.getType().isPrimitive() || c.isAnnotationPresent(Nullable.class)) {
                continue;
            }
            try {
                if (c.getAccessor().invoke(this) == null) {
                    missing.add(c.getName());
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("reading " + c.getName() + " of " + getClass().getSimpleName(), e);
            }
        }
        return missing;
    }
}
