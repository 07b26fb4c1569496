package dev.netkeeper.netlink;

import dev.netkeeper.netlink.nl.Attributes;
import dev.netkeeper.netlink.nl.MessageBuilder;
import dev.netkeeper.netlink.nl.Netlink;
import dev.netkeeper.netlink.nl.NetlinkMessage;
import dev.netkeeper.netlink.nl.RtMsg;
import dev.netkeeper.netlink.nl.Rtnetlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Unicast routes of the main table (RTM_NEWROUTE / DELROUTE / GETROUTE) inside one namespace. */
public final class RouteOps {
    /** rtnetlink.h RT_SCOPE_NOWHERE: on delete, match a route of any scope (as iproute2 does). */
    private static final int RT_SCOPE_NOWHERE = 255;

    private final Handle handle;

    RouteOps(Handle handle) {
        this.handle = handle;
    }

    /** Adds the default route via {@code gateway}, out of {@code link}. */
    public void addDefault(InetAddress gateway, String link) {
        String op = "adding default route via " + IpPrefix.format(gateway) + " dev " + link;
        int index = handle.links().require(link, op).index();
        add(new Route(Route.family(gateway), Optional.empty(), Optional.of(gateway), index), op);
    }

    public void add(Route route) {
        add(route, "adding route " + describe(route));
    }

    /** Deletes a route of any protocol and scope that matches destination, gateway and link (as ip route del). */
    public void delete(Route route) {
        int dstLength = route.destination().map(IpPrefix::length).orElse(0);
        MessageBuilder m = new MessageBuilder(Rtnetlink.RTM_DELROUTE, 0).struct(new RtMsg(route.family(), dstLength,
                0, 0, Rtnetlink.RT_TABLE_MAIN, 0, RT_SCOPE_NOWHERE, 0, 0));
        attributes(m, route);
        handle.mutate("deleting route " + describe(route), m);
    }

    /** Unicast routes of the main table for one family (AF_INET or AF_INET6). */
    public List<Route> list(int family) {
        List<Route> out = new ArrayList<>();
        RtMsg filter = new RtMsg(family, 0, 0, 0, 0, 0, 0, 0, 0);
        for (NetlinkMessage m : handle.dump("listing routes", new MessageBuilder(Rtnetlink.RTM_GETROUTE, 0)
                .struct(filter))) {
            if (m.type() != Rtnetlink.RTM_NEWROUTE) {
                continue;
            }
            RtMsg header = RtMsg.readFrom(m.body());
            Attributes a = m.attributes(RtMsg.SIZE);
            int table = a.u32(Rtnetlink.RTA_TABLE).orElse(header.table());
            if (table != Rtnetlink.RT_TABLE_MAIN || header.type() != Rtnetlink.RTN_UNICAST) {
                continue;
            }
            Optional<IpPrefix> dst = header.dstLength() == 0 ? Optional.empty()
                    : a.bytes(Rtnetlink.RTA_DST).map(b -> new IpPrefix(ip(b), header.dstLength()));
            out.add(new Route(header.family(), dst, a.bytes(Rtnetlink.RTA_GATEWAY).map(RouteOps::ip),
                    a.u32(Rtnetlink.RTA_OIF).orElse(0)));
        }
        return out;
    }

    private void add(Route route, String operation) {
        int scope = route.gateway().isPresent() ? Rtnetlink.RT_SCOPE_UNIVERSE : Rtnetlink.RT_SCOPE_LINK;
        handle.mutate(operation, request(Rtnetlink.RTM_NEWROUTE, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL,
                route, scope));
    }

    static MessageBuilder request(int type, int flags, Route route, int scope) {
        int dstLength = route.destination().map(IpPrefix::length).orElse(0);
        MessageBuilder m = new MessageBuilder(type, flags).struct(new RtMsg(route.family(), dstLength, 0, 0,
                Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTPROT_BOOT, scope, Rtnetlink.RTN_UNICAST, 0));
        return attributes(m, route);
    }

    private static MessageBuilder attributes(MessageBuilder m, Route route) {
        route.destination().ifPresent(d -> m.attr(Rtnetlink.RTA_DST, d.address().getAddress()));
        route.gateway().ifPresent(g -> m.attr(Rtnetlink.RTA_GATEWAY, g.getAddress()));
        if (route.linkIndex() > 0) {
            m.attrU32(Rtnetlink.RTA_OIF, route.linkIndex());
        }
        return m;
    }

    private static String describe(Route r) {
        return r.destination().map(IpPrefix::toString).orElse("default")
                + r.gateway().map(g -> " via " + IpPrefix.format(g)).orElse("")
                + (r.linkIndex() > 0 ? " dev #" + r.linkIndex() : "");
    }

    private static InetAddress ip(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + raw.length, e);
        }
    }
}
