package dev.netkeeper.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import dev.netkeeper.network.PoolSpec;
import dev.netkeeper.journal.EmbeddedJournal;
import dev.netkeeper.journal.H2Journal;
import dev.netkeeper.network.Quotas;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.netkeeper.firewall.PortRange;
import dev.netkeeper.kernel.NetlinkActor;

/**
 * The netkeeper.* settings of one agent (documented in conf/application.conf).
 *
 * @param underlay where this host's VXLAN devices send from and the other hosts' reach them: an address of the host
 *                 (netkeeper.overlay.underlay-address, else the cluster's bind address unless that is loopback); empty:
 *                 none, and overlay networks are refused on this host
 */
public record AgentSettings(String hostId, Path dataDir, Optional<Path> hostNamespace, List<Path> namespaceRoots,
                            List<PoolSpec> pools, Duration askTimeout, int snapshotEvery, String crashAt,
                            Quotas quotas, NetlinkActor.FirewallSettings firewall, Optional<InetAddress> underlay) {

    public AgentSettings(String hostId, Path dataDir, Optional<Path> hostNamespace, List<Path> namespaceRoots,
                         List<PoolSpec> pools, Duration askTimeout, int snapshotEvery, String crashAt, Quotas quotas,
                         NetlinkActor.FirewallSettings firewall) {
        this(hostId, dataDir, hostNamespace, namespaceRoots, pools, askTimeout, snapshotEvery, crashAt, quotas, firewall,
                Optional.empty());
    }

    public AgentSettings(String hostId, Path dataDir, Optional<Path> hostNamespace, List<Path> namespaceRoots,
                         List<PoolSpec> pools, Duration askTimeout, int snapshotEvery, String crashAt, Quotas quotas) {
        this(hostId, dataDir, hostNamespace, namespaceRoots, pools, askTimeout, snapshotEvery, crashAt, quotas,
                NetlinkActor.FirewallSettings.DEFAULT);
    }

    public static AgentSettings from(Config config) {
        Config c = config.getConfig("netkeeper");
        String host = c.getString("host-id");
        if (host.isEmpty()) {
            host = hostname();
        }
        if (host.contains(":")) {
            throw new IllegalArgumentException("netkeeper.host-id '" + host + "' must not contain ':'");
        }
        String hostNs = c.getString("host-namespace");
        return new AgentSettings(host, Path.of(c.getString("data-dir")),
                hostNs.isEmpty() ? Optional.empty() : Optional.of(Path.of(hostNs)),
                c.getStringList("namespace-roots").stream().map(Path::of).toList(),
                c.getConfigList("default-address-pools").stream()
                        .map(p -> new PoolSpec(p.getString("base"), p.getInt("size"))).toList(),
                c.getDuration("ask-timeout"), c.getInt("snapshot-every"), c.getString("test.crash-at"),
                new Quotas(c.getInt("quotas.networks"), c.getInt("quotas.endpoints-per-network")),
                new NetlinkActor.FirewallSettings(PortRange.parse(c.getString("firewall.port-range")),
                        c.getDuration("firewall.check-interval"), acceptInForeignForward(c)),
                underlay(c.getString("overlay.underlay-address"), config.getString("pekko.remote.artery.canonical.hostname")));
    }

    /**
     * The underlay address: the setting when given (an IP address, never a name to look up), else the cluster's bind
     * address when that is a routable address (a loopback or wildcard bind reaches no other host: none).
     */
    static Optional<InetAddress> underlay(String setting, String bindHost) {
        String given = setting.strip();
        if (!given.isEmpty()) {
            InetAddress a;
            try {
                a = dev.netkeeper.netlink.IpPrefix.literal(given);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("netkeeper.overlay.underlay-address '" + given + "' is not an IP address");
            }
            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isMulticastAddress()) {
                throw new IllegalArgumentException("netkeeper.overlay.underlay-address '" + given
                        + "' is no address other hosts can reach");
            }
            return Optional.of(a);
        }
        try {
            InetAddress bind = dev.netkeeper.netlink.IpPrefix.literal(bindHost.strip());
            return bind.isLoopbackAddress() || bind.isAnyLocalAddress() ? Optional.empty() : Optional.of(bind);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a host name: the operator names the underlay address explicitly
        }
    }

    /**
     * Whether the agent lets its bridges through another table's dropping forward chain: "auto" does when the Docker
     * plugin is served (dockerd, whose FORWARD policy is DROP, is why it is there), else only when "true".
     */
    private static boolean acceptInForeignForward(Config c) {
        String value = c.getString("firewall.accept-in-foreign-forward").strip();
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            case "auto" -> !c.getString("docker.socket").isBlank();
            default -> throw new IllegalArgumentException("netkeeper.firewall.accept-in-foreign-forward '" + value
                    + "' is none of auto, true, false");
        };
    }

    /**
     * The agent's configuration: {@code overrides} (settings by path), then the operator's file if any,
     * then the documented defaults (application.conf in the jar) and the libraries' reference.conf.
     * Resolved last, so that an overridden data-dir also moves the journal URL.
     */
    public static Config load(Map<String, ?> overrides, Optional<Path> file) {
        Config base = ConfigFactory.parseResources("application.conf");
        Config user = file.map(f -> ConfigFactory.parseFile(f.toFile())).orElse(ConfigFactory.empty());
        Config resolved = ConfigFactory.systemProperties()
                .withFallback(ConfigFactory.parseMap(overrides))
                .withFallback(user)
                .withFallback(base)
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        return journal(resolved.getConfig("netkeeper.journal"), Path.of(resolved.getString("netkeeper.data-dir")))
                .withFallback(membership(resolved))
                .withFallback(resolved);
    }

    /**
     * netkeeper.seed-nodes ("host:port" each) as Pekko seed node addresses, and netkeeper.roles added
     * to the node's roles. Either may be a list or, from the environment, one comma-separated string.
     */
    private static Config membership(Config c) {
        List<String> seeds = new ArrayList<>(c.getStringList("pekko.cluster.seed-nodes"));
        for (String s : list(c, "netkeeper.seed-nodes")) {
            seeds.add(s.contains("://") ? s : "pekko://netkeeper@" + s);
        }
        List<String> roles = new ArrayList<>(c.getStringList("pekko.cluster.roles"));
        roles.addAll(list(c, "netkeeper.roles"));
        return ConfigFactory.empty()
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seeds))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(roles));
    }

    private static List<String> list(Config c, String path) {
        if (!c.hasPath(path)) {
            return List.of();
        }
        if (c.getValue(path).valueType() == ConfigValueType.LIST) {
            return c.getStringList(path);
        }
        return Arrays.stream(c.getString(path).split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** The shared database behind the JDBC journal, snapshot store and read journal, per netkeeper.journal. */
    private static Config journal(Config journal, Path dataDir) {
        String kind = journal.getString("kind");
        String db = "pekko-persistence-jdbc.shared-databases.netkeeper";
        return switch (kind) {
            case "sqlite" -> ConfigFactory.parseMap(Map.of(db + ".db.url", EmbeddedJournal.url(dataDir)));
            case "h2" -> ConfigFactory.parseMap(Map.of(
                    db + ".profile", "slick.jdbc.H2Profile$",
                    db + ".db.url", H2Journal.url(dataDir),
                    db + ".db.user", "sa",
                    db + ".db.password", "",
                    db + ".db.driver", "org.h2.Driver",
                    "jdbc-journal.parallelism", 8));
            case "postgres" -> ConfigFactory.parseMap(Map.of(
                    db + ".profile", "slick.jdbc.PostgresProfile$",
                    db + ".db.url", journal.getString("postgres.url"),
                    db + ".db.user", journal.getString("postgres.user"),
                    db + ".db.password", password(journal.getConfig("postgres")),
                    db + ".db.driver", "org.postgresql.Driver",
                    "jdbc-journal.parallelism", 8));
            default -> throw new IllegalArgumentException("netkeeper.journal.kind must be \"sqlite\", \"postgres\" or"
                    + " \"h2\", not \"" + kind + "\"");
        };
    }

    /** The journal's password: the first line of password-file when one is named, else password. */
    static String password(Config postgres) {
        String file = postgres.hasPath("password-file") ? postgres.getString("password-file") : "";
        if (file.isBlank()) {
            return postgres.getString("password");
        }
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of(file));
            return lines.isEmpty() ? "" : lines.get(0).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("netkeeper.journal.postgres.password-file: cannot read " + file + ": " + e);
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
    }
}
