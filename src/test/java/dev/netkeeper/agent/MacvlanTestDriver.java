package dev.netkeeper.agent;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.kernel.DeleteLink;
import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.kernel.KernelTaskSet;
import dev.netkeeper.kernel.LinkMark;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.InvalidNameException;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.LinkName;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.netlink.NetlinkSocket;
import dev.netkeeper.netlink.nl.IfInfoMsg;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.Rtnetlink;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.driver.NetworkDriver;
import dev.netkeeper.testing.ThrowawayNamespace;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A third network type, from the test classpath only, to prove the driver SPI: a lower device per network
 * (see {@link EnsureLower}), and one macvlan (bridge mode) per endpoint on it, born in the host as the
 * endpoint's srcName with the endpoint's MAC. The namespace side is the agent's own: it moves the
 * macvlan in, renames, addresses and routes it exactly as it does a veth end.
 *
 * <p>LinkOps can create only bridges and veth pairs (no way to pass another IFLA_INFO_KIND, and
 * Handle's request method is package-private), so the macvlan creation goes through the public lower
 * layer of the same package: a {@link NetlinkSocket} opened in the host namespace and an RTM_NEWLINK
 * built with {@link MessageBuilder}. Everything else uses Handle / LinkOps.
 */
public final class MacvlanTestDriver implements NetworkDriver, KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of("macvlan-test.lower", EnsureLower.class, "macvlan-test.ensure", EnsureMacvlan.class,
                "macvlan-test.remove", RemoveMacvlan.class);
    }

    public static final String TYPE = "macvlan-test";
    /** Driver option: the lower device's name; default "mvp-" + 8 hex chars of the network name's SHA-256. */
    public static final String PARENT = "macvlan.parent";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean assignsAddresses() {
        return true;
    }

    @Override
    public boolean createsInterfaces() {
        return true;
    }

    @Override
    public Map<String, String> resolveOptions(String networkName, Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!key.equals(PARENT)) {
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "unknown " + TYPE + " driver option '" + key
                        + "' (known: " + PARENT + ")");
            }
        }
        String parent = options.getOrDefault(PARENT, "mvp-" + hash(networkName));
        try {
            LinkName.check(parent);
        } catch (InvalidNameException e) {
            throw new NetkeeperException(ErrorCode.INVALID_NAME, PARENT + ": " + e.getMessage());
        }
        return Map.of(PARENT, parent);
    }

    @Override
    public List<KernelTask> setUp(NetworkConfig network) {
        return List.of(new EnsureLower(parent(network), network.mtu(), lowerMark(network)));
    }

    @Override
    public List<KernelTask> tearDown(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>();
        endpoints.forEach(e -> tasks.addAll(detach(network, e)));
        tasks.add(new DeleteLink(parent(network), lowerMark(network))); // takes any macvlan left on it along
        return tasks;
    }

    @Override
    public List<KernelTask> attach(NetworkConfig network, Endpoint endpoint) {
        return List.of(new EnsureMacvlan(parent(network), endpoint.srcName(), endpoint.macAddress(), network.mtu(),
                namespacePath(endpoint)));
    }

    @Override
    public List<KernelTask> detach(NetworkConfig network, Endpoint endpoint) {
        return List.of(new RemoveMacvlan(endpoint.srcName(), endpoint.macAddress(), namespacePath(endpoint)));
    }

    @Override
    public List<KernelTask> converge(NetworkConfig network, Collection<Endpoint> endpoints) {
        List<KernelTask> tasks = new ArrayList<>(setUp(network));
        endpoints.forEach(e -> tasks.addAll(attach(network, e)));
        return tasks;
    }

    static String parent(NetworkConfig network) {
        return network.driverOptions().get(PARENT);
    }

    /** Endpoint.namespace() is the namespace entity id "host:path"; the path is what the kernel needs. */
    private static String namespacePath(Endpoint e) {
        return e.namespace() == null ? null : e.namespace().substring(e.namespace().indexOf(':') + 1);
    }

    private static String hash(String name) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the driver's own kernel tasks -------------------------------------------------------------

    /** Test safety net: these tasks only ever run against a throwaway test host, never the machine's own. */
    static Handle throwawayHost(KernelContext kernel) {
        Path path = kernel.host().namespace().path();
        if (!path.startsWith(ThrowawayNamespace.ROOT)
                || !path.getFileName().toString().startsWith(ThrowawayNamespace.PREFIX)) {
            throw new IllegalStateException(TYPE + " is a test driver: refusing to work in host namespace " + path);
        }
        return kernel.host();
    }

    /** An RTM_NEWLINK that LinkOps cannot build, sent on a socket of the host namespace. */
    static void newLink(KernelContext kernel, String operation, MessageBuilder request) {
        NetNamespace ns = throwawayHost(kernel).namespace();
        try (NetlinkSocket socket = ns.call(NetlinkSocket::open)) {
            socket.request(request, operation);
        }
    }

    /** The lower device is this driver's own link: marked as netkeeper marks the links it makes. */
    static LinkMark lowerMark(NetworkConfig network) {
        return new LinkMark("netkeeper macvlan-test-lower " + network.name());
    }

    static MessageBuilder newLinkRequest(String name, int mtu) {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_NEWLINK, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .struct(IfInfoMsg.of(0)).attrString(IfLink.IFLA_IFNAME, LinkName.check(name));
        if (mtu > 0) {
            m.attrU32(IfLink.IFLA_MTU, mtu);
        }
        return m;
    }

    /**
     * The lower device: a port-less bridge named {@code name} in the host, with this MTU, up. (A dummy link
     * would be the textbook lower device, but this kernel has no dummy driver; a bridge without ports is up
     * with carrier and, unlike a dummy, LinkOps can make it.)
     */
    public record EnsureLower(String name, int mtu, LinkMark mark) implements KernelTask {
        @Override
        public void run(KernelContext kernel) {
            Handle host = throwawayHost(kernel);
            Optional<Link> existing = host.links().get(name);
            if (existing.isEmpty()) {
                // no fixed MAC: a port-less bridge made with one has no carrier, and the macvlans on it no traffic
                host.links().addBridge(name, mtu, Optional.empty());
                host.links().setAlias(name, mark.text());
            } else if (!existing.get().kind().equals("bridge") || !mark.on(existing.get())) {
                throw new IllegalStateException("link " + name + " exists but is a " + existing.get().kind());
            } else if (mtu > 0 && existing.get().mtu() != mtu) {
                host.links().setMtu(name, mtu);
            }
            if (!host.links().require(name, describe()).isUp()) {
                host.links().setUp(name);
            }
        }

        @Override
        public String describe() {
            return "ensure macvlan lower device " + name;
        }
    }

    /**
     * A macvlan in bridge mode on {@code parent}, born in the host as {@code name} with {@code mac}; nothing
     * to do when it is there, or already placed in {@code namespacePath} (found by its MAC).
     */
    public record EnsureMacvlan(String parent, String name, String mac, int mtu, String namespacePath)
            implements KernelTask {
        static final int IFLA_MACVLAN_MODE = 1;
        static final int MACVLAN_MODE_BRIDGE = 4;

        @Override
        public void run(KernelContext kernel) {
            Handle host = throwawayHost(kernel);
            if (host.links().get(name).isPresent() || placed(kernel, namespacePath, mac).isPresent()) {
                return;
            }
            int parentIndex = host.links().require(parent, describe()).index();
            newLink(kernel, describe(), newLinkRequest(name, mtu)
                    .attrU32(IfLink.IFLA_LINK, parentIndex)
                    .attr(IfLink.IFLA_ADDRESS, MacAddress.parse(mac).bytes())
                    .beginNested(IfLink.IFLA_LINKINFO).attrString(IfLink.IFLA_INFO_KIND, "macvlan")
                    .beginNested(IfLink.IFLA_INFO_DATA).attrU32(IFLA_MACVLAN_MODE, MACVLAN_MODE_BRIDGE).endNested()
                    .endNested());
        }

        @Override
        public String describe() {
            return "ensure macvlan " + name + " on " + parent;
        }
    }

    /** No macvlan of this endpoint: neither in the host as {@code name}, nor in its namespace. */
    public record RemoveMacvlan(String name, String mac, String namespacePath) implements KernelTask {
        @Override
        public void run(KernelContext kernel) {
            Handle host = throwawayHost(kernel);
            if (host.links().get(name).isPresent()) {
                host.links().delete(name);
            }
            Optional<Link> inside = placed(kernel, namespacePath, mac);
            if (inside.isPresent()) {
                kernel.in(Path.of(namespacePath)).links().delete(inside.get().name());
            }
        }

        @Override
        public String describe() {
            return "remove macvlan " + name + (namespacePath == null ? "" : " (placed in " + namespacePath + ")");
        }
    }

    /** The macvlan with this MAC inside the namespace, if it is mounted and holds one. */
    static Optional<Link> placed(KernelContext kernel, String namespacePath, String mac) {
        if (namespacePath == null || !NetNamespace.isMounted(Path.of(namespacePath))) {
            return Optional.empty();
        }
        MacAddress wanted = MacAddress.parse(mac);
        return kernel.in(Path.of(namespacePath)).links().list().stream()
                .filter(l -> l.kind().equals("macvlan") && l.mac().equals(Optional.of(wanted))).findFirst();
    }
}
