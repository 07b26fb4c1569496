package dev.netkeeper.dns;

import com.typesafe.config.Config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The netkeeper.dns.* settings (documented in conf/application.conf).
 *
 * @param enabled        whether the agent serves resolvers at all
 * @param resolvConf     the host's resolver configuration: where the upstreams are read (again when it changes)
 * @param netnsEtcDir    where {@code ip netns exec NAME} finds a namespace's own /etc files (its resolv.conf)
 * @param ttl            the TTL of the answers for the networks' names
 * @param forwardTimeout how long an upstream has to answer before the next one is asked
 * @param cacheSize      how many forwarded answers are kept
 * @param cacheMaxTtl    the longest a forwarded answer is kept, whatever its TTL
 */
public record DnsSettings(boolean enabled, Path resolvConf, Path netnsEtcDir, Duration ttl, Duration forwardTimeout,
                          int cacheSize, Duration cacheMaxTtl) {

    public static DnsSettings from(Config config) {
        Config c = config.getConfig("netkeeper.dns");
        return new DnsSettings(c.getBoolean("enabled"), Path.of(c.getString("resolv-conf")),
                Path.of(c.getString("netns-etc-dir")), c.getDuration("ttl"), c.getDuration("forward-timeout"),
                c.getInt("cache-size"), c.getDuration("cache-max-ttl"));
    }
}
