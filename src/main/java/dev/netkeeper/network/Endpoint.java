package dev.netkeeper.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.netkeeper.api.PortMapping;
import dev.netkeeper.kernel.CborSerializable;

import java.util.List;

/**
 * An endpoint: what was allocated for one container on one network. Null srcName / hostVeth: the driver
 * makes no interface (null driver). {@code namespace} is the namespace entity id it was added to;
 * {@code host} the host whose kernel holds its interface (null: the network's first host); {@code segment}
 * which of the network's bridges on that host holds its port (0: the first, the gateway's; a bridge network
 * grows by another bridge when one is full); {@code dstName} its name in {@code namespace} when the link itself
 * placed it there (one step: born there), null when a namespace claimed it later (or none holds it).
 * {@code ports}: the host ports published to it (each resolved to one port). Journaled with it: recovery puts it
 * back where it was. {@code aliases}: the names its network's resolver answers for it besides its own.
 */
public record Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                       String addressIPv6, String namespace, String host,
                       @JsonInclude(JsonInclude.Include.NON_DEFAULT) int segment,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String dstName,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PortMapping> ports,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> aliases) implements CborSerializable {
    public Endpoint {
        ports = ports == null ? List.of() : List.copyOf(ports);
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    public Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                    String addressIPv6, String namespace, String host, int segment, String dstName,
                    List<PortMapping> ports) {
        this(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, segment, dstName, ports, List.of());
    }

    public Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                    String addressIPv6, String namespace, String host, int segment, String dstName) {
        this(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, segment, dstName, List.of());
    }

    public Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                    String addressIPv6, String namespace, String host) {
        this(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, 0, null);
    }

    public Endpoint(String name, String hostVeth, String srcName, String macAddress, String address,
                    String addressIPv6, String namespace, String host, int segment) {
        this(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, segment, null);
    }

    /** Claimed by a namespace (null: back in the host); a one-step placement ends with it. */
    public Endpoint withNamespace(String namespaceId) {
        return new Endpoint(name, hostVeth, srcName, macAddress, address, addressIPv6, namespaceId, host, segment, null, ports, aliases);
    }

    /** Placed by the link itself: born in {@code namespaceId} as {@code dst}. */
    public Endpoint linkedInto(String namespaceId, String dst) {
        return new Endpoint(name, hostVeth, srcName, macAddress, address, addressIPv6, namespaceId, host, segment, dst, ports, aliases);
    }

    /** Publishing exactly {@code published} (resolved: one host port each). */
    public Endpoint withPorts(List<PortMapping> published) {
        return new Endpoint(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, segment, dstName,
                published, aliases);
    }

    /** Known to its network's resolver by these names too. */
    public Endpoint withAliases(List<String> names) {
        return new Endpoint(name, hostVeth, srcName, macAddress, address, addressIPv6, namespace, host, segment, dstName,
                ports, names);
    }

    /** Whether the link placed it in its namespace (one step), rather than a namespace claiming it afterwards. */
    public boolean bornInNamespace() {
        return namespace != null && dstName != null;
    }
}
