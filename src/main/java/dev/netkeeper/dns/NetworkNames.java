package dev.netkeeper.dns;

import dev.netkeeper.api.HostNames;
import dev.netkeeper.network.Cidr;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.netlink.IpPrefix;
import dev.netkeeper.network.Ipam;
import dev.netkeeper.network.NetworkConfig;
import dev.netkeeper.network.NetworkState;
import org.xbill.DNS.Name;
import org.xbill.DNS.ReverseMap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one network's resolver answers, built once from the network's journaled state (and again when that
 * changes): every endpoint under its name and under {@code NAME.NETWORK}, and its addresses in reverse. Names
 * are compared without case, as DNS does. An endpoint whose name is no host name (a CNI or Docker endpoint id)
 * has no forward name of its own; its aliases (and {@code ALIAS.NETWORK}) are names too.
 */
record NetworkNames(String network, Cidr subnet4, Cidr subnet6, InetAddress gateway4, InetAddress gateway6,
                    boolean internal, Map<String, List<Host>> byName, Map<Name, Host> byReverse) {

    /** One endpoint as the resolver sees it: its addresses (without prefix) and the namespace holding it. */
    record Host(String network, String endpoint, List<String> aliases, InetAddress v4, InetAddress v6, String namespace) {
        /** The name a PTR record points to: the endpoint's, as an absolute name (null when it is no host name). */
        Name ptrTarget() {
            return isHostName(endpoint) ? absolute(endpoint) : aliases.isEmpty() ? null : absolute(aliases.get(0));
        }
    }

    static boolean isHostName(String name) {
        return HostNames.valid(name);
    }

    static NetworkNames of(NetworkState state) {
        NetworkConfig c = state.config();
        Map<String, List<Host>> byName = new HashMap<>();
        Map<Name, Host> byReverse = new HashMap<>();
        boolean qualified = isHostName(c.name());
        for (Endpoint e : state.endpoints().values()) {
            Host h = new Host(c.name(), e.name(), e.aliases(), address(e.address()), address(e.addressIPv6()), e.namespace());
            List<String> names = new ArrayList<>(1 + e.aliases().size());
            names.add(e.name());
            names.addAll(e.aliases());
            for (String n : names) {
                if (isHostName(n)) {
                    byName.computeIfAbsent(key(n), k -> new ArrayList<>(1)).add(h);
                    if (qualified) {
                        byName.computeIfAbsent(key(n + "." + c.name()), k -> new ArrayList<>(1)).add(h);
                    }
                }
            }
            if (h.v4() != null) {
                byReverse.put(ReverseMap.fromAddress(h.v4()), h);
            }
            if (h.v6() != null) {
                byReverse.put(ReverseMap.fromAddress(h.v6()), h);
            }
        }
        return new NetworkNames(c.name(), c.ipv4() == null ? null : c.ipv4().cidr(),
                c.ipv6() == null ? null : c.ipv6().cidr(),
                c.ipv4() == null ? null : address(c.ipv4().gateway()), c.ipv6() == null ? null : address(c.ipv6().gateway()),
                c.internal(), Map.copyOf(byName), Map.copyOf(byReverse));
    }

    /** The hosts of that name (an absolute name, any case); empty when none. */
    List<Host> lookup(Name name) {
        return byName.getOrDefault(key(name.toString(true)), List.of());
    }

    Optional<Host> reverse(Name name) {
        return Optional.ofNullable(byReverse.get(canonical(name)));
    }

    /** Whether {@code address} is in one of the network's subnets. */
    boolean contains(InetAddress address) {
        return (subnet4 != null && subnet4.contains(address)) || (subnet6 != null && subnet6.contains(address));
    }

    /** Whether a reverse name lies in one of the network's subnets (the resolver answers it, known or not). */
    boolean coversReverse(Name name) {
        return reverseAddress(name).map(this::contains).orElse(false);
    }

    /** The endpoint that holds {@code address}, if any. */
    Optional<Host> holder(InetAddress address) {
        return reverse(ReverseMap.fromAddress(address));
    }

    static final String IN_ADDR = ".in-addr.arpa";
    static final String IP6 = ".ip6.arpa";

    /** Whether {@code name} is in the reverse trees (in-addr.arpa, ip6.arpa). */
    static boolean isReverseName(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        return text.endsWith(IN_ADDR) || text.endsWith(IP6);
    }

    /** The address a full reverse name stands for (in-addr.arpa with 4 labels, ip6.arpa with 32 nibbles). */
    static Optional<InetAddress> reverseAddress(Name name) {
        String text = name.toString(true).toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith(IN_ADDR)) {
                String[] parts = text.substring(0, text.length() - IN_ADDR.length()).split("\\.");
                if (parts.length != 4) {
                    return Optional.empty();
                }
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int v = Integer.parseInt(parts[3 - i]);
                    if (v < 0 || v > 255 || !parts[3 - i].matches("[0-9]{1,3}")) {
                        return Optional.empty();
                    }
                    b[i] = (byte) v;
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
            if (text.endsWith(IP6)) {
                String[] nibbles = text.substring(0, text.length() - IP6.length()).split("\\.");
                if (nibbles.length != 32) {
                    return Optional.empty();
                }
                byte[] b = new byte[16];
                for (int i = 0; i < 32; i++) {
                    String n = nibbles[31 - i];
                    if (!n.matches("[0-9a-f]")) {
                        return Optional.empty();
                    }
                    b[i / 2] |= (byte) (Integer.parseInt(n, 16) << (i % 2 == 0 ? 4 : 0));
                }
                return Optional.of(InetAddress.getByAddress(b));
            }
        } catch (java.net.UnknownHostException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static String key(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    private static Name canonical(Name name) {
        return name.canonicalize();
    }

    static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (org.xbill.DNS.TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + name, e);
        }
    }

    static InetAddress address(String text) {
        if (text == null) {
            return null;
        }
        return IpPrefix.literal(Ipam.host(text));
    }
}
