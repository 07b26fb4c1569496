package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.IfAddr;
import dev.netkeeper.netlink.nl.IfAddrMsg;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** IPv4 and IPv6 addresses on links (RTM_NEWADDR / DELADDR / GETADDR) inside one namespace. */
public final class AddressOps {
    private final Handle handle;

    AddressOps(Handle handle) {
        this.handle = handle;
    }

    /**
     * Adds an address. IPv6 addresses are added with IFA_F_NODAD, as libnetwork does for container
     * interfaces: we own the subnet's allocation, so duplicate detection only delays usability.
     */
    public void add(String link, IpPrefix prefix) {
        String op = "adding address " + prefix + " to " + link;
        handle.mutate(op, request(Rtnetlink.RTM_NEWADDR, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
                handle.links().require(link, op).index(), prefix));
    }

    public void delete(String link, IpPrefix prefix) {
        String op = "deleting address " + prefix + " from " + link;
        handle.mutate(op, request(Rtnetlink.RTM_DELADDR, 0, handle.links().require(link, op).index(), prefix));
    }

    /** Addresses of one link, IPv4 and IPv6. */
    public List<Address> list(String link) {
        int index = handle.links().require(link, "listing addresses of " + link).index();
        return list().stream().filter(a -> a.linkIndex() == index).toList();
    }

    /** Every address in the namespace. */
    public List<Address> list() {
        List<Address> out = new ArrayList<>();
        for (NetlinkMessage m : handle.dump("listing addresses", new MessageBuilder(Rtnetlink.RTM_GETADDR, 0)
                .struct(new IfAddrMsg(Rtnetlink.AF_UNSPEC, 0, 0, 0, 0)))) {
            if (m.type() == Rtnetlink.RTM_NEWADDR) {
                decode(m).ifPresent(out::add);
            }
        }
        return out;
    }

    static MessageBuilder request(int type, int flags, int index, IpPrefix prefix) {
        byte[] raw = prefix.address().getAddress();
        MessageBuilder m = new MessageBuilder(type, flags)
                .struct(new IfAddrMsg(prefix.family(), prefix.length(), 0, Rtnetlink.RT_SCOPE_UNIVERSE, index))
                .attr(IfAddr.IFA_LOCAL, raw)
                .attr(IfAddr.IFA_ADDRESS, raw);
        if (prefix.family() == Rtnetlink.AF_INET6 && type == Rtnetlink.RTM_NEWADDR) {
            m.attrU32(IfAddr.IFA_FLAGS, IfAddr.IFA_F_NODAD);
        }
        return m;
    }

    static Optional<Address> decode(NetlinkMessage m) {
        IfAddrMsg header = IfAddrMsg.readFrom(m.body());
        Attributes a = m.attributes(IfAddrMsg.SIZE);
        // IPv4 puts the interface's own address in IFA_LOCAL; IPv6 only sends IFA_ADDRESS.
        Optional<byte[]> raw = a.bytes(IfAddr.IFA_LOCAL).or(() -> a.bytes(IfAddr.IFA_ADDRESS));
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            InetAddress ip = InetAddress.getByAddress(raw.get());
            int flags = a.u32(IfAddr.IFA_FLAGS).orElse(header.flags());
            return Optional.of(new Address(header.index(), new IpPrefix(ip, header.prefixLength()),
                    header.scope(), flags));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
