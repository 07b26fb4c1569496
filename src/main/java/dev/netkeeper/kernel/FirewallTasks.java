package dev.netkeeper.kernel;

import java.util.Map;

/** The kernel tasks of the host firewall (netkeeper's nftables table), for every driver that publishes or masquerades. */
public final class FirewallTasks implements KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of(
                "firewall.share", FirewallShare.class,
                "firewall.forwards", FirewallForwards.class,
                "firewall.remove", FirewallRemove.class,
                "bridge.hairpin", EnsureHairpin.class);
    }
}
