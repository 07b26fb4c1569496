package dev.netkeeper.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.PortMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The network configuration a runtime passes on stdin (one plugin of a conflist, with {@code name} and
 * {@code cniVersion} copied in), parsed once. netkeeper's own fields: {@code subnet}, {@code gateway},
 * {@code subnetIPv6}, {@code gatewayIPv6}, {@code mtu}, {@code internal}, {@code ipMasq} (the bridge plugin's
 * names), {@code disableDns} (no resolver for the network: netavark's and Podman's name), {@code socket} (the agent's; read by the shim) and {@code spool}. The runtime's: {@code runtimeConfig}
 * ({@code portMappings}, {@code ips}, {@code mac}, {@code aliases}: the container's names on each network, as
 * Podman sends them with the {@code aliases} capability), {@code prevResult}, {@code cni.dev/valid-attachments} (GC).
 */
public record CniConfig(String cniVersion, String name, String subnet, String gateway, String subnetIPv6,
                        String gatewayIPv6, int mtu, boolean internal, Boolean ipMasq, List<PortMapping> portMappings,
                        List<String> ips, String mac, JsonNode prevResult, List<Attachment> validAttachments,
                        String spool, boolean disableDns, List<String> aliases) {
    /** The versions this plugin speaks (libcni 1.1.2, Debian's Podman 4.3, asks for 1.0.0 at most). */
    public static final List<String> SUPPORTED_VERSIONS = List.of("0.4.0", "1.0.0", "1.1.0");

    /** Just the version, as VERSION is called with {@code {"cniVersion": ...}} alone. */
    static String versionOf(byte[] config) {
        JsonNode root = tree(config);
        JsonNode v = root.get("cniVersion");
        return v != null && v.isTextual() ? v.asText() : null;
    }

    static CniConfig parse(byte[] config) {
        JsonNode root = tree(config);
        String version = text(root, "cniVersion");
        if (version == null) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no cniVersion");
        }
        if (!SUPPORTED_VERSIONS.contains(version)) {
            throw new CniError(CniError.INCOMPATIBLE_VERSION, "CNI version " + version + " is not supported",
                    "supported: " + String.join(", ", SUPPORTED_VERSIONS));
        }
        String name = text(root, "name");
        if (name == null || name.isEmpty()) {
            throw new CniError(CniError.INVALID_CONFIG, "the network configuration has no name");
        }
        JsonNode runtime = root.path("runtimeConfig");
        JsonNode mtu = root.get("mtu");
        if (mtu != null && !mtu.canConvertToInt()) {
            throw new CniError(CniError.INVALID_CONFIG, "mtu must be a number, not " + mtu);
        }
        JsonNode masq = root.get("ipMasq");
        return new CniConfig(version, name, text(root, "subnet"), text(root, "gateway"), text(root, "subnetIPv6"),
                text(root, "gatewayIPv6"), mtu == null ? 0 : mtu.asInt(), root.path("internal").asBoolean(false),
                masq == null || masq.isNull() ? null : masq.asBoolean(), portMappings(runtime.path("portMappings")),
                ips(runtime.path("ips")), text(runtime, "mac"), root.get("prevResult"),
                attachments(root.path("cni.dev/valid-attachments")), text(root, "spool"),
                root.path("disableDns").asBoolean(false), strings(runtime.path("aliases").path(name)));
    }

    /** What the network is created with on first use: netkeeper's defaults where the configuration says nothing. */
    NetworkOptions networkOptions() {
        NetworkOptions.Builder b = NetworkOptions.builder().subnet(subnet).gateway(gateway).subnetIPv6(subnetIPv6)
                .gatewayIPv6(gatewayIPv6).mtu(mtu).internal(internal).disableDns(disableDns);
        if (ipMasq != null) {
            b.driverOption("bridge.masquerade", Boolean.toString(ipMasq));
        }
        return b.build();
    }

    /** Where the network that exists differs from this configuration (empty: it is this network). */
    List<String> differences(dev.netkeeper.api.NetworkInfo existing) {
        List<String> d = new ArrayList<>();
        if (!"bridge".equals(existing.type())) {
            d.add("its driver is " + existing.type() + ", not bridge");
        }
        differs(d, "subnet", subnet, existing.subnet());
        differs(d, "gateway", gateway, existing.gateway());
        differs(d, "subnetIPv6", subnetIPv6, existing.subnetIPv6());
        differs(d, "gatewayIPv6", gatewayIPv6, existing.gatewayIPv6());
        if (mtu > 0 && mtu != existing.mtu()) {
            d.add("mtu is " + existing.mtu() + ", not " + mtu);
        }
        if (internal != existing.internal()) {
            d.add(existing.internal() ? "it is internal" : "it is not internal");
        }
        if (ipMasq != null) {
            boolean masquerades = !"false".equals(existing.driverOptions().get("bridge.masquerade"));
            if (masquerades != ipMasq) {
                d.add(masquerades ? "it masquerades" : "it does not masquerade");
            }
        }
        return d;
    }

    private static void differs(List<String> d, String field, String wanted, String actual) {
        if (wanted != null && !Objects.equals(normalized(wanted), normalized(actual))) {
            d.add(field + " is " + actual + ", not " + wanted);
        }
    }

    private static String normalized(String address) {
        return address == null ? null : address.toLowerCase(java.util.Locale.ROOT);
    }

    private static JsonNode tree(byte[] config) {
        try {
            JsonNode root = ApiJson.mapper().readTree(config);
            if (root == null || !root.isObject()) {
                throw new CniError(CniError.DECODING_FAILURE, "the network configuration is no JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new CniError(CniError.DECODING_FAILURE, "the network configuration is not JSON: "
                    + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new CniError(CniError.IO_FAILURE, "cannot read the network configuration: " + e.getMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new CniError(CniError.INVALID_CONFIG, field + " must be a string, not " + v);
        }
        return v.asText();
    }

    /** The portMappings capability: {@code [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp", "hostIP": ""}]}. */
    private static List<String> strings(JsonNode list) {
        List<String> out = new java.util.ArrayList<>();
        if (list.isArray()) {
            list.forEach(n -> {
                if (n.isTextual()) {
                    out.add(n.asText());
                }
            });
        }
        return List.copyOf(out);
    }

    private static List<PortMapping> portMappings(JsonNode list) {
        List<PortMapping> out = new ArrayList<>();
        for (JsonNode m : list) {
            String host = m.path("hostIP").asText("");
            String proto = m.path("protocol").asText("tcp").toLowerCase(java.util.Locale.ROOT);
            int hostPort = m.path("hostPort").asInt(0);
            int containerPort = m.path("containerPort").asInt(0);
            String hostSide = host.isEmpty() ? "" : (host.contains(":") ? "[" + host + "]" : host) + ":";
            try {
                out.add(PortMapping.parse(hostSide + (hostPort == 0 ? "" : hostPort) + ":" + containerPort + "/" + proto));
            } catch (dev.netkeeper.api.NetkeeperException e) {
                throw new CniError(CniError.INVALID_CONFIG, "runtimeConfig.portMappings: " + e.getMessage());
            }
        }
        return out;
    }

    /** The ips capability: {@code ["10.1.0.7/24", ...]} (a prefix length is allowed and dropped). */
    private static List<String> ips(JsonNode list) {
        List<String> out = new ArrayList<>();
        for (JsonNode ip : list) {
            String text = ip.asText();
            int slash = text.indexOf('/');
            out.add(slash < 0 ? text : text.substring(0, slash));
        }
        return out;
    }

    private static List<Attachment> attachments(JsonNode list) {
        List<Attachment> out = new ArrayList<>();
        for (JsonNode a : list) {
            try {
                out.add(new Attachment(a.path("containerID").asText(), a.path("ifname").asText()));
            } catch (CniError e) {
                throw new CniError(CniError.INVALID_CONFIG, "cni.dev/valid-attachments: " + e.getMessage());
            }
        }
        return out;
    }

    /** VERSION's answer. */
    static Map<String, Object> versionReply(String version) {
        return Map.of("cniVersion", version, "supportedVersions", SUPPORTED_VERSIONS);
    }
}
