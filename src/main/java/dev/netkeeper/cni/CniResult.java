package dev.netkeeper.cni;

import dev.netkeeper.api.Interface;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ADD's result in the version the configuration asked for (CNI SPEC "Success"): the host end and the container's
 * interface (with its sandbox), the addresses with their gateway and the index of the interface that holds them,
 * the default routes this interface carries, and the network's resolver as {@code dns.nameservers} (its gateways,
 * where the agent answers the network's names; none when the network has no resolver). 0.4.0 writes each address's
 * {@code version} too.
 */
record CniResult(String cniVersion, String hostInterface, Interface iface, String ifname, String netns,
                 boolean defaultRoute, boolean defaultRouteIPv6, boolean resolver) {

    Map<String, Object> json() {
        List<Map<String, Object>> interfaces = new ArrayList<>();
        if (hostInterface != null) {
            interfaces.add(Map.of("name", hostInterface));
        }
        int index = interfaces.size();
        interfaces.add(Map.of("name", ifname, "mac", iface.macAddress(), "sandbox", netns));
        List<Map<String, Object>> ips = new ArrayList<>();
        List<Map<String, Object>> routes = new ArrayList<>();
        if (iface.address() != null) {
            ips.add(ip(iface.address(), iface.gateway(), index, "4"));
            if (defaultRoute && iface.gateway() != null) {
                routes.add(Map.of("dst", "0.0.0.0/0", "gw", iface.gateway()));
            }
        }
        if (iface.addressIPv6() != null) {
            ips.add(ip(iface.addressIPv6(), iface.gatewayIPv6(), index, "6"));
            if (defaultRouteIPv6 && iface.gatewayIPv6() != null) {
                routes.add(Map.of("dst", "::/0", "gw", iface.gatewayIPv6()));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cniVersion", cniVersion);
        result.put("interfaces", interfaces);
        result.put("ips", ips);
        result.put("routes", routes);
        List<String> nameservers = new ArrayList<>();
        if (resolver && iface.gateway() != null) {
            nameservers.add(iface.gateway());
        }
        if (resolver && iface.gatewayIPv6() != null) {
            nameservers.add(iface.gatewayIPv6());
        }
        result.put("dns", nameservers.isEmpty() ? Map.of() : Map.of("nameservers", nameservers));
        return result;
    }

    private Map<String, Object> ip(String address, String gateway, int index, String family) {
        Map<String, Object> ip = new LinkedHashMap<>();
        if (cniVersion.equals("0.4.0")) {
            ip.put("version", family);
        }
        ip.put("address", address);
        if (gateway != null) {
            ip.put("gateway", gateway);
        }
        ip.put("interface", index);
        return ip;
    }
}
