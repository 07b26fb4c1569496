package dev.netkeeper.network.driver;

import dev.netkeeper.kernel.KernelContext;
import dev.netkeeper.kernel.KernelTask;
import dev.netkeeper.netlink.Address;
import dev.netkeeper.netlink.Errno;
import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.KernelException;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.netlink.Link;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** A bridge named {@code name} exists in the host, with this MTU and these addresses, and is up. */
public record EnsureBridge(String name, int mtu, List<String> addresses) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Handle host = kernel.host();
        Optional<Link> existing = host.links().get(name);
        if (existing.isEmpty()) {
            host.links().addBridge(name, mtu, Optional.empty());
        } else if (!existing.get().kind().equals("bridge")) {
            throw new KernelException(Errno.EEXIST, "ensuring bridge " + name, "link " + name + " exists but is a "
                    + existing.get().kind() + ", not a bridge");
        } else if (mtu > 0 && existing.get().mtu() != mtu) {
            host.links().setMtu(name, mtu);
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
