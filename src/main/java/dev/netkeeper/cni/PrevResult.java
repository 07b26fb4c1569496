package dev.netkeeper.cni;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.Interface;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a DEL's or CHECK's {@code prevResult} (the ADD's result, as the runtime kept it) says about the container's interface. */
final class PrevResult {
    private PrevResult() {}

    /** The index of the interface named {@code ifname} with a sandbox, or -1. */
    private static int containerInterface(JsonNode prev, String ifname) {
        JsonNode interfaces = prev == null ? null : prev.path("interfaces");
        if (interfaces == null || !interfaces.isArray()) {
            return -1;
        }
        for (int i = 0; i < interfaces.size(); i++) {
            JsonNode iface = interfaces.get(i);
            if (ifname.equals(iface.path("name").asText()) && !iface.path("sandbox").asText().isEmpty()) {
                return i;
            }
        }
        return -1;
    }

    /** The MAC of the container's interface, if the prevResult names one. */
    static Optional<String> containerMac(JsonNode prev, String ifname) {
        int i = containerInterface(prev, ifname);
        String mac = i < 0 ? "" : prev.path("interfaces").get(i).path("mac").asText();
        return mac.isEmpty() ? Optional.empty() : Optional.of(mac);
    }

    /** Where the prevResult and the journaled endpoint disagree: the interface, its sandbox, MAC and addresses. */
    static List<String> differences(JsonNode prev, EndpointInfo endpoint, String ifname, String netns) {
        List<String> d = new ArrayList<>();
        int index = containerInterface(prev, ifname);
        if (index < 0) {
            d.add("prevResult has no interface " + ifname + " in a sandbox");
            return d;
        }
        JsonNode iface = prev.path("interfaces").get(index);
        if (!netns.equals(iface.path("sandbox").asText())) {
            d.add("prevResult's sandbox is " + iface.path("sandbox").asText() + ", not " + netns);
        }
        Interface journaled = endpoint.interfaces().isEmpty() ? null : endpoint.interfaces().get(0);
        if (journaled == null) {
            d.add("the endpoint has no interface");
            return d;
        }
        if (!journaled.macAddress().equalsIgnoreCase(iface.path("mac").asText())) {
            d.add("MAC is " + journaled.macAddress() + ", prevResult says " + iface.path("mac").asText());
        }
        Set<String> listed = new HashSet<>();
        for (JsonNode ip : prev.path("ips")) {
            if (ip.path("interface").asInt(-1) == index) {
                listed.add(ip.path("address").asText());
            }
        }
        Set<String> journaledAddresses = new HashSet<>();
        if (journaled.address() != null) {
            journaledAddresses.add(journaled.address());
        }
        if (journaled.addressIPv6() != null) {
            journaledAddresses.add(journaled.addressIPv6());
        }
        if (!listed.equals(journaledAddresses)) {
            d.add("addresses are " + journaledAddresses + ", prevResult says " + listed);
        }
        return d;
    }
}
