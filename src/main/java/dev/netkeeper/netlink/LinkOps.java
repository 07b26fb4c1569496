package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.IfInfoMsg;
import dev.netkeeper.netlink.nl.IfLink;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Link operations (RTM_NEWLINK / SETLINK / DELLINK / GETLINK) inside one namespace. Links are named. */
public final class LinkOps {
    private final Handle handle;

    LinkOps(Handle handle) {
        this.handle = handle;
    }

    /** Creates a bridge. {@code mtu} 0 keeps the kernel default; {@code mac} empty lets the kernel pick. */
    public void addBridge(String name, int mtu, Optional<MacAddress> mac) {
        LinkName.check(name);
        handle.mutate("creating bridge " + name, LinkRequests.newBridge(name, mtu, mac));
    }

    /**
     * Creates a veth pair. With {@code peerNamespace} present the peer is born in that namespace
     * (IFLA_NET_NS_FD inside VETH_INFO_PEER) and never appears in this one.
     */
    public void addVeth(String name, String peerName, int mtu, Optional<NetNamespace> peerNamespace) {
        addVeth(new VethPair(name, peerName, mtu, peerNamespace, Optional.empty(), Optional.empty(), false));
    }

    /**
     * Creates a veth pair in one request, with its master and up state applied by the kernel at
     * creation (IFLA_MASTER, ifi_flags): a pair is never seen half-configured, and it costs one round trip.
     */
    public void addVeth(VethPair pair) {
        String name = LinkName.check(pair.name());
        String peerName = LinkName.check(pair.peerName());
        Optional<NetNamespace> peerNamespace = pair.peerNamespace();
        String op = "creating veth " + name + " (peer " + peerName
                + peerNamespace.map(ns -> " in " + ns.name()).orElse("") + ")";
        int master = pair.master().isPresent() ? require(pair.master().get(), op).index() : 0;
        handle.mutate(op, LinkRequests.newVeth(pair, master, peerNamespace.map(NetNamespace::fd).orElse(-1)));
    }

    /**
     * Creates a VXLAN device, a port of {@code masterIndex} from birth (0: none); down, like every new link.
     */
    public void addVxlan(Vxlan v, int masterIndex) {
        LinkName.check(v.name());
        handle.mutate("creating vxlan " + v.name() + " (vni " + v.vni() + ", port " + v.port() + ")",
                LinkRequests.newVxlan(v, masterIndex));
    }

    public void setMaster(String name, String master) {
        LinkName.check(name);
        int masterIndex = require(master, "setting master of " + name + " to " + master).index();
        handle.mutate("setting master of " + name + " to " + master,
                set(name).attrU32(IfLink.IFLA_MASTER, masterIndex));
    }

    public void setNoMaster(String name) {
        handle.mutate("removing master of " + name, set(name).attrU32(IfLink.IFLA_MASTER, 0));
    }

    public void setUp(String name) {
        handle.mutate("setting " + name + " up", setFlags(name, true));
    }

    public void setDown(String name) {
        handle.mutate("setting " + name + " down", setFlags(name, false));
    }

    public void setMtu(String name, int mtu) {
        handle.mutate("setting MTU of " + name + " to " + mtu, set(name).attrU32(IfLink.IFLA_MTU, mtu));
    }

    /** Sets the link's alias (IFLA_IFALIAS); the kernel keeps it across renames and namespace moves. */
    public void setAlias(String name, String alias) {
        byte[] bytes = alias.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length >= IfLink.IFALIASZ) {
            throw new IllegalArgumentException("alias of " + name + " is " + bytes.length + " bytes; at most "
                    + (IfLink.IFALIASZ - 1));
        }
        handle.mutate("setting alias of " + name, set(name).attrString(IfLink.IFLA_IFALIAS, alias));
    }

    public void setMac(String name, MacAddress mac) {
        handle.mutate("setting MAC of " + name + " to " + mac, set(name).attr(IfLink.IFLA_ADDRESS, mac.bytes()));
    }

    /**
     * Sets hairpin mode on a bridge port: a frame may leave by the port it came in by, which a container needs to
     * reach its own published port when the bridge hands its traffic to netfilter (br_netfilter) and the DNAT turns
     * it back to where it came from.
     */
    public void setHairpin(Link port, boolean on) {
        handle.mutate("setting hairpin " + (on ? "on" : "off") + " on bridge port " + port.name(),
                new MessageBuilder(Rtnetlink.RTM_SETLINK, 0)
                        .struct(new IfInfoMsg(IfLink.AF_BRIDGE, 0, port.index(), 0, 0))
                        .beginNested(IfLink.IFLA_PROTINFO | Netlink.NLA_F_NESTED)
                        .attr(IfLink.IFLA_BRPORT_MODE, new byte[] {(byte) (on ? 1 : 0)})
                        .endNested());
    }

    /** Renames a link (kernels before 6.2 refuse with EBUSY while it is up). */
    public void rename(String name, String newName) {
        LinkName.check(newName);
        String op = "renaming " + name + " to " + newName;
        int index = require(name, op).index();
        handle.mutate(op, new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).struct(IfInfoMsg.of(index))
                .attrString(IfLink.IFLA_IFNAME, newName));
    }

    /** Moves a link into another namespace (it is set down by the kernel on the way). */
    public void moveTo(String name, NetNamespace target) {
        handle.mutate("moving " + name + " to namespace " + target.name(),
                set(name).attrU32(IfLink.IFLA_NET_NS_FD, target.fd()));
    }

    /** Deletes a link; deleting one end of a veth pair deletes both. */
    public void delete(String name) {
        LinkName.check(name);
        handle.mutate("deleting link " + name, new MessageBuilder(Rtnetlink.RTM_DELLINK, 0)
                .struct(IfInfoMsg.of(0)).attrString(IfLink.IFLA_IFNAME, name));
    }

    /**
     * Deletes exactly the link that was looked up (by its ifindex, which is never reused for another link
     * while the first exists): a link renamed into its name meanwhile is not touched.
     */
    public void delete(Link link) {
        handle.mutate("deleting link " + link.name() + " (ifindex " + link.index() + ")",
                new MessageBuilder(Rtnetlink.RTM_DELLINK, 0).struct(IfInfoMsg.of(link.index())));
    }

    public Optional<Link> get(String name) {
        LinkName.check(name);
        return getBy(IfInfoMsg.of(0), name, "getting link " + name);
    }

    public Optional<Link> get(int index) {
        return getBy(IfInfoMsg.of(index), null, "getting link #" + index);
    }

    /** The link, or ENODEV naming the operation that needed it. */
    public Link require(String name, String operation) {
        return get(name).orElseThrow(() -> new KernelException(Errno.ENODEV, operation, "no link named " + name));
    }

    public List<Link> list() {
        List<Link> links = new ArrayList<>();
        for (NetlinkMessage m : handle.dump("listing links", new MessageBuilder(Rtnetlink.RTM_GETLINK, 0)
                .struct(IfInfoMsg.of(0)))) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                links.add(decode(m));
            }
        }
        return links;
    }

    /**
     * The links whose master is {@code bridge} (its ports), empty if there is no such link. The dump
     * carries IFLA_MASTER, so the kernel sends only the ports (rtnl_dump_ifinfo filters by master since
     * Linux 4.5) instead of every link of the namespace; the result is filtered here too, for kernels
     * that ignore the attribute.
     */
    public List<Link> ports(String bridge) {
        Optional<Link> master = get(bridge);
        if (master.isEmpty()) {
            return List.of();
        }
        int index = master.get().index();
        List<Link> links = new ArrayList<>();
        for (NetlinkMessage m : handle.dump("listing ports of " + bridge, new MessageBuilder(Rtnetlink.RTM_GETLINK, 0)
                .struct(IfInfoMsg.of(0)).attrU32(IfLink.IFLA_MASTER, index))) {
            if (m.type() == Rtnetlink.RTM_NEWLINK) {
                Link l = decode(m);
                if (l.masterIndex() == index) {
                    links.add(l);
                }
            }
        }
        return links;
    }

    private Optional<Link> getBy(IfInfoMsg header, String name, String operation) {
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_GETLINK, 0).struct(header);
        if (name != null) {
            m.attrString(IfLink.IFLA_IFNAME, name);
        }
        try {
            return handle.query(operation, m).stream().filter(r -> r.type() == Rtnetlink.RTM_NEWLINK)
                    .findFirst().map(LinkOps::decode);
        } catch (KernelException e) {
            if (e.errno().equals(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    static Link decode(NetlinkMessage m) {
        IfInfoMsg info = IfInfoMsg.readFrom(m.body());
        Attributes a = m.attributes(IfInfoMsg.SIZE);
        Optional<MacAddress> mac = a.bytes(IfLink.IFLA_ADDRESS).filter(b -> b.length == 6).map(MacAddress::of);
        Attributes linkInfo = a.nested(IfLink.IFLA_LINKINFO);
        String kind = linkInfo.string(IfLink.IFLA_INFO_KIND).orElse("");
        Optional<VxlanInfo> vxlan = kind.equals("vxlan")
                ? Optional.of(VxlanInfo.decode(linkInfo.nested(IfLink.IFLA_INFO_DATA))) : Optional.empty();
        return new Link(info.index(), a.string(IfLink.IFLA_IFNAME).orElse(""), kind,
                a.u32(IfLink.IFLA_MASTER).orElse(0), a.u32(IfLink.IFLA_LINK).orElse(0), mac,
                a.u32(IfLink.IFLA_MTU).orElse(0), info.flags(),
                OperState.of(a.u8(IfLink.IFLA_OPERSTATE).orElse(0)), a.string(IfLink.IFLA_IFALIAS).orElse(""),
                a.u32(IfLink.IFLA_LINK_NETNSID).orElse(-1), vxlan);
    }

    /** RTM_NEWLINK without NLM_F_CREATE changes an existing link named by IFLA_IFNAME. */
    private static MessageBuilder set(String name) {
        LinkName.check(name);
        return new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).struct(IfInfoMsg.of(0))
                .attrString(IfLink.IFLA_IFNAME, name);
    }

    private static MessageBuilder setFlags(String name, boolean up) {
        LinkName.check(name);
        return new MessageBuilder(Rtnetlink.RTM_NEWLINK, 0).struct(IfInfoMsg.withUp(0, up))
                .attrString(IfLink.IFLA_IFNAME, name);
    }
}
