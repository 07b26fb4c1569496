package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.Address;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads, never changes: whether the interface {@link PlaceInterface} describes is in its namespace as it left it
 * (the link of that name with its MAC, up, its MTU and addresses, the default routes it carries). Anything that
 * differs fails the task with {@code KERNEL_DIFFERS}, naming each difference: what CNI's CHECK reports.
 */
public record CheckPlacement(PlaceInterface placed) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle ns = kernel.container(placed.namespacePath(), placed.namespaceIdentity());
        String name = placed.dstName();
        Optional<Link> link = ns.links().get(name);
        String where = name + " in " + placed.namespacePath();
        if (link.isEmpty()) {
            throw new NetkeeperException(ErrorCode.KERNEL_DIFFERS, where + ": no such interface");
        }
        List<String> differences = new ArrayList<>();
        MacAddress mac = MacAddress.parse(placed.macAddress());
        if (!link.get().mac().equals(Optional.of(mac))) {
            differences.add("MAC " + link.get().mac().map(MacAddress::toString).orElse("none") + ", not " + mac);
        }
        if (!link.get().isUp()) {
            differences.add("it is down");
        }
        if (placed.mtu() > 0 && link.get().mtu() != placed.mtu()) {
            differences.add("MTU " + link.get().mtu() + ", not " + placed.mtu());
        }
        Set<String> present = ns.addresses().list(name).stream().map(Address::prefix).map(IpPrefix::toString)
                .collect(Collectors.toSet());
        for (String cidr : placed.addresses()) {
            if (!present.contains(IpPrefix.parse(cidr).toString())) {
                differences.add("address " + cidr + " is missing");
            }
        }
        missingDefaultRoute(ns, placed.gateway(), Rtnetlink.AF_INET, link.get().index()).ifPresent(differences::add);
        missingDefaultRoute(ns, placed.gatewayIPv6(), Rtnetlink.AF_INET6, link.get().index()).ifPresent(differences::add);
        if (!differences.isEmpty()) {
            throw new NetkeeperException(ErrorCode.KERNEL_DIFFERS, where + ": " + String.join("; ", differences));
        }
    }

    private static Optional<String> missingDefaultRoute(Handle ns, String via, int family, int index) {
        if (via == null) {
            return Optional.empty();
        }
        InetAddress gw = IpPrefix.literal(via);
        boolean present = ns.routes().list(family).stream()
                .anyMatch(r -> r.isDefault() && r.gateway().equals(Optional.of(gw)) && r.linkIndex() == index);
        return present ? Optional.empty() : Optional.of("no default route via " + via);
    }

    @Override
    public String describe() {
        return "check " + placed.dstName() + " in " + placed.namespacePath();
    }
}
