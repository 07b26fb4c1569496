package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Address;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.Link;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A bridge named {@code name}, marked {@code mark}, exists in the host, with this MTU and these addresses,
 * and is up. It is made with the mark's MAC (a stable gateway MAC, and its identity until it is marked); a
 * link of that name that is not this one is refused (NAME_IN_USE) and left as it is.
 */
public record EnsureBridge(String name, int mtu, List<String> addresses, LinkMark mark) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> existing = host.links().get(name);
        if (existing.isEmpty()) {
            host.links().addBridge(name, mtu, Optional.of(mark.mac()));
            host.links().setAlias(name, mark.text());
        } else if (!existing.get().kind().equals("bridge") || !mark.owns(existing.get(), mark.mac())) {
            throw new NameInUseException(existing.get(), mark.text());
        } else {
            if (!mark.on(existing.get())) {
                host.links().setAlias(name, mark.text()); // made, then cut before it was marked
            }
            if (mtu > 0 && existing.get().mtu() != mtu) {
                host.links().setMtu(name, mtu);
            }
        }
        Set<String> present = host.addresses().list(name).stream().map(Address::prefix).map(IpPrefix::toString)
                .collect(Collectors.toSet());
        for (String cidr : addresses) {
            IpPrefix p = IpPrefix.parse(cidr);
            if (!present.contains(p.toString())) {
                host.addresses().add(name, p);
            }
        }
        if (existing.isEmpty() || !existing.get().isUp()) {
            host.links().setUp(name);
        }
    }

    @Override
    public String describe() {
        return "ensure bridge " + name;
    }
}
