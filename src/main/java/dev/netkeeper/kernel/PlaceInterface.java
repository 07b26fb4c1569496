package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.Address;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A container interface sits in the namespace at {@code namespacePath} as {@code dstName}, with its MAC,
 * MTU and addresses, up (and lo up), with default routes via the gateways (null gateways: none).
 * Picks up wherever an earlier attempt stopped: still in the host as srcName, moved but not renamed,
 * or placed but not fully configured. The interface is known by its MAC (chosen and journaled when it was
 * linked, set when it was made), never by its name alone: a link of either name that has another MAC is
 * someone else's, refused and left as it is.
 */
public record PlaceInterface(String namespacePath, String srcName, String dstName, String macAddress, int mtu,
                             List<String> addresses, String gateway, String gatewayIPv6, String namespaceIdentity)
        implements KernelTask {


    /**
     * {@code iface} (its final dstName) in the namespace at {@code path}; with the default route via its gateway of a
     * family only where {@code route} / {@code routeIPv6} says this interface carries the namespace's.
     */
    public static PlaceInterface of(String path, Interface iface, boolean route, boolean routeIPv6, String identity) {
        List<String> addresses = new ArrayList<>();
        if (iface.address() != null) {
            addresses.add(iface.address());
        }
        if (iface.addressIPv6() != null) {
            addresses.add(iface.addressIPv6());
        }
        return new PlaceInterface(path, iface.srcName(), iface.dstName(), iface.macAddress(), iface.mtu(), addresses,
                route ? iface.gateway() : null, routeIPv6 ? iface.gatewayIPv6() : null, identity);
    }

    @Override
    public void run(KernelContext kernel) {
        Path path = Path.of(namespacePath);
        Handle ns = kernel.container(namespacePath, namespaceIdentity);
        MacAddress mac = MacAddress.parse(macAddress);
        Optional<Link> placed = ns.links().get(dstName);
        placed.ifPresent(l -> requireOurs(kernel, l, mac, "namespace " + namespacePath + " has a link " + dstName,
                ErrorCode.DUPLICATE_DST_NAME));
        if (placed.isEmpty()) {
            Optional<Link> moved = ns.links().get(srcName);
            moved.ifPresent(l -> requireOurs(kernel, l, mac, "namespace " + namespacePath + " has a link " + srcName,
                    ErrorCode.NAME_IN_USE));
            if (moved.isEmpty()) {
                Link inHost = kernel.host().links().require(srcName, "placing " + srcName + " in " + namespacePath);
                if (!inHost.mac().equals(Optional.of(mac))) {
                    throw notThis(inHost, mac, "the host's link " + srcName, ErrorCode.NAME_IN_USE);
                }
                kernel.host().links().moveTo(srcName, kernel.namespace(path));
                CrashPoints.reach("place.after-move");
            }
            ns.links().rename(srcName, dstName);
            CrashPoints.reach("place.after-rename");
        }
        Link link = ns.links().require(dstName, "configuring " + dstName + " in " + namespacePath);
        if (mtu > 0 && link.mtu() != mtu) {
            ns.links().setMtu(dstName, mtu);
        }
        Set<String> present = ns.addresses().list(dstName).stream().map(Address::prefix)
                .map(IpPrefix::toString).collect(Collectors.toSet());
        for (String cidr : addresses) {
            IpPrefix prefix = IpPrefix.parse(cidr);
            if (!present.contains(prefix.toString())) {
                ns.addresses().add(dstName, prefix);
            }
        }
        if (!ns.links().require("lo", "setting lo up in " + namespacePath).isUp()) {
            ns.links().setUp("lo");
        }
        if (!link.isUp()) {
            ns.links().setUp(dstName);
        }
        ensureDefaultRoute(ns, gateway, Rtnetlink.AF_INET);
        ensureDefaultRoute(ns, gatewayIPv6, Rtnetlink.AF_INET6);
    }

    /**
     * Configures the interface just made in its namespace under its final name, with its MAC and MTU (as a one-step
     * pair is born, the namespace checked by its maker): addresses, lo and the interface up, the default routes.
     */
    public void configureNew(KernelContext kernel) {
        Handle ns = kernel.in(Path.of(namespacePath));
        for (String cidr : addresses) {
            ns.addresses().add(dstName, IpPrefix.parse(cidr));
        }
        ns.links().setUp("lo");
        ns.links().setUp(dstName);
        ensureDefaultRoute(ns, gateway, Rtnetlink.AF_INET);
        ensureDefaultRoute(ns, gatewayIPv6, Rtnetlink.AF_INET6);
    }

    /** A link in a container's namespace is this interface: its MAC, and its peer (or lower device) ours in the host. */
    private static void requireOurs(KernelContext kernel, Link link, MacAddress mac, String what, ErrorCode code) {
        if (!link.mac().equals(Optional.of(mac)) || !leadsToTheHost(kernel, link)) {
            throw notThis(link, mac, what, code);
        }
    }

    private static NetkeeperException notThis(Link link, MacAddress mac, String what, ErrorCode code) {
        return new NetkeeperException(code, what + " that is not this interface (MAC "
                + link.mac().map(MacAddress::toString).orElse("none") + ", not " + mac + "); it is left as it is");
    }

    /**
     * Whether a link inside a namespace hangs off one of netkeeper's links in the host (a veth whose peer, or a
     * macvlan whose lower device, is there and marked): what a container cannot forge, whereas a MAC it can set.
     */
    static boolean leadsToTheHost(KernelContext kernel, Link link) {
        return link.peerElsewhere() && link.peerIndex() != 0
                && kernel.host().links().get(link.peerIndex()).filter(LinkMark::isOurs).isPresent();
    }

    private void ensureDefaultRoute(Handle ns, String via, int family) {
        if (via == null) {
            return;
        }
        InetAddress gw = IpPrefix.literal(via);
        boolean present = ns.routes().list(family).stream()
                .anyMatch(r -> r.isDefault() && r.gateway().equals(Optional.of(gw)));
        if (!present) {
            ns.routes().addDefault(gw, dstName);
        }
    }

    @Override
    public String describe() {
        return "place " + srcName + " as " + dstName + " in " + namespacePath;
    }
}
