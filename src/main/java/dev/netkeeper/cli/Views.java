package dev.netkeeper.cli;

import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetworkInfo;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The human-readable views of the API's records (their JSON is the records themselves). */
final class Views {
    private Views() {}

    static void networks(List<NetworkInfo> networks, PrintStream out) {
        Table t = Table.of("NAME", "DRIVER", "SUBNET", "GATEWAY", "IPV6-SUBNET", "MTU", "INTERNAL", "ENDPOINTS");
        for (NetworkInfo n : networks) {
            t.row(n.name(), n.type(), n.subnet(), n.gateway(), n.subnetIPv6(), n.mtu(), n.internal(),
                    n.endpointCount());
        }
        t.print(out);
    }

    static void network(NetworkInfo n, PrintStream out) {
        Table.fields()
                .field("name", n.name())
                .field("driver", n.type())
                .field("subnet", n.subnet())
                .field("gateway", n.gateway())
                .field("ipv6 subnet", n.subnetIPv6())
                .field("ipv6 gateway", n.gatewayIPv6())
                .field("mtu", n.mtu())
                .field("internal", n.internal())
                .field("options", options(n.driverOptions()))
                .field("endpoints", n.endpointCount())
                .print(out);
        if (!n.endpoints().isEmpty()) {
            out.println();
            Table t = Table.of("ENDPOINT", "HOST", "SRC", "DST", "MAC", "ADDRESS", "IPV6", "NAMESPACE", "PORTS");
            for (EndpointInfo e : n.endpoints()) {
                String ports = e.published().isEmpty() ? null
                        : e.published().stream().map(Views::published).collect(Collectors.joining(","));
                if (e.interfaces().isEmpty()) {
                    t.row(e.name(), e.host(), null, null, null, null, null, e.namespace(), ports);
                }
                for (Interface i : e.interfaces()) {
                    t.row(e.name(), e.host(), i.srcName(), i.dstName(), i.macAddress(), i.address(), i.addressIPv6(),
                            e.namespace(), ports);
                }
            }
            t.print(out);
        }
    }

    /** Published ports, Docker's way: {@code 0.0.0.0:8080->80/tcp}. */
    static void ports(List<dev.netkeeper.api.PortMapping> ports, PrintStream out) {
        Table t = Table.of("PUBLISHED");
        for (dev.netkeeper.api.PortMapping p : ports) {
            t.row(published(p));
        }
        t.print(out);
    }

    static String published(dev.netkeeper.api.PortMapping p) {
        String ip = p.hostIp() == null ? "0.0.0.0" : p.hostIpv6() ? "[" + p.hostIp() + "]" : p.hostIp();
        return ip + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol();
    }

    static void interfaces(List<Interface> interfaces, PrintStream out) {
        Table t = Table.of("SRC", "DST", "MAC", "ADDRESS", "IPV6", "GATEWAY", "IPV6-GATEWAY", "MTU");
        for (Interface i : interfaces) {
            t.row(i.srcName(), i.dstName(), i.macAddress(), i.address(), i.addressIPv6(), i.gateway(),
                    i.gatewayIPv6(), i.mtu());
        }
        t.print(out);
    }

    static void namespaces(List<NamespaceInfo> namespaces, PrintStream out) {
        Table t = Table.of("HOST", "PATH", "INTERFACES");
        for (NamespaceInfo n : namespaces) {
            t.row(n.host(), n.path(), n.interfaces().stream().map(Interface::dstName).collect(Collectors.joining(",")));
        }
        t.print(out);
    }

    static void namespace(NamespaceInfo n, PrintStream out) {
        Table.fields().field("host", n.host()).field("path", n.path()).field("interfaces", n.interfaces().size())
                .print(out);
        if (!n.interfaces().isEmpty()) {
            out.println();
            interfaces(n.interfaces(), out);
        }
    }

    static String options(Map<String, String> options) {
        return new TreeMap<>(options).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
