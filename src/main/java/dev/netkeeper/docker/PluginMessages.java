package dev.netkeeper.docker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.PortMapping;

import java.util.List;
import java.util.Map;

/**
 * The bodies dockerd sends (moby {@code libnetwork/drivers/remote/api} and {@code libnetwork/ipams/remote/api}), read
 * once into records; unknown fields are ignored (newer dockerd versions add some).
 */
final class PluginMessages {
    private PluginMessages() {}

    /** Every port mapping key dockerd sends in an endpoint's options (an array of {@link PortBinding}). */
    static final String PORT_MAP = "com.docker.network.portmap";
    static final String GENERIC = "com.docker.network.generic";
    static final String ENABLE_IPV6 = "com.docker.network.enable_ipv6";
    static final String INTERNAL = "com.docker.network.internal";
    static final String GATEWAY_REQUEST = "com.docker.network.gateway";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IpamData(@JsonProperty("AddressSpace") String addressSpace, @JsonProperty("Pool") String pool,
                    @JsonProperty("Gateway") String gateway,
                    @JsonProperty("AuxAddresses") Map<String, String> auxAddresses) {
        IpamData {
            auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CreateNetwork(@JsonProperty("NetworkID") String networkId, @JsonProperty("Options") Map<String, JsonNode> options,
                         @JsonProperty("IPv4Data") List<IpamData> ipv4Data,
                         @JsonProperty("IPv6Data") List<IpamData> ipv6Data) {
        CreateNetwork {
            options = options == null ? Map.of() : options;
            ipv4Data = ipv4Data == null ? List.of() : ipv4Data;
            ipv6Data = ipv6Data == null ? List.of() : ipv6Data;
        }

        boolean flag(String key) {
            JsonNode v = options.get(key);
            return v != null && (v.asBoolean(false) || "true".equalsIgnoreCase(v.asText()));
        }

        /** The {@code -o key=value} options of {@code docker network create}. */
        Map<String, String> generic() {
            JsonNode g = options.get(GENERIC);
            Map<String, String> out = new java.util.TreeMap<>();
            if (g != null && g.isObject()) {
                g.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().asText()));
            }
            return out;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record NetworkRef(@JsonProperty("NetworkID") String networkId) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointInterface(@JsonProperty("Address") String address, @JsonProperty("AddressIPv6") String addressIPv6,
                             @JsonProperty("MacAddress") String macAddress) {}

    /** CreateEndpoint, Join, ProgramExternalConnectivity, ... : an endpoint of a network, with what each call adds. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EndpointCall(@JsonProperty("NetworkID") String networkId, @JsonProperty("EndpointID") String endpointId,
                        @JsonProperty("Interface") EndpointInterface iface,
                        @JsonProperty("SandboxKey") String sandboxKey,
                        @JsonProperty("Options") Map<String, JsonNode> options) {
        EndpointCall {
            options = options == null ? Map.of() : options;
        }

        /** The ports to publish ({@code docker run -p}), as netkeeper's mappings. */
        List<PortMapping> portMappings() {
            JsonNode map = options.get(PORT_MAP);
            if (map == null || !map.isArray()) {
                return List.of();
            }
            List<PortMapping> out = new java.util.ArrayList<>();
            for (JsonNode b : map) {
                out.add(new PortBinding(b.path("Proto").asInt(), b.path("IP").asText(""), b.path("Port").asInt(),
                        b.path("HostIP").asText(""), b.path("HostPort").asInt(), b.path("HostPortEnd").asInt())
                        .mapping());
            }
            return out;
        }
    }

    /** One of dockerd's port bindings; {@code proto} is the IP protocol number (netinet/in.h). */
    record PortBinding(int proto, String ip, int port, String hostIp, int hostPort, int hostPortEnd) {
        static final int IPPROTO_TCP = 6;
        static final int IPPROTO_UDP = 17;
        static final int IPPROTO_SCTP = 132;

        PortMapping mapping() {
            String protocol = switch (proto) {
                case IPPROTO_TCP -> "tcp";
                case IPPROTO_UDP -> "udp";
                case IPPROTO_SCTP -> "sctp";
                default -> throw new NetkeeperException(ErrorCode.INVALID_OPTION, "port binding of protocol " + proto
                        + " (netkeeper publishes tcp 6, udp 17, sctp 132)");
            };
            return new PortMapping(protocol, hostIp == null || hostIp.isBlank() ? null : hostIp, hostPort, hostPortEnd, port);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RequestPool(@JsonProperty("AddressSpace") String addressSpace, @JsonProperty("Pool") String pool,
                       @JsonProperty("SubPool") String subPool, @JsonProperty("V6") boolean v6) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record PoolRef(@JsonProperty("PoolID") String poolId) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RequestAddress(@JsonProperty("PoolID") String poolId, @JsonProperty("Address") String address,
                          @JsonProperty("Options") Map<String, String> options) {
        boolean gateway() {
            return options != null && GATEWAY_REQUEST.equals(options.get("RequestAddressType"));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReleaseAddress(@JsonProperty("PoolID") String poolId, @JsonProperty("Address") String address) {}
}
