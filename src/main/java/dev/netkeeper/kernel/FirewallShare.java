package dev.netkeeper.kernel;

import dev.netkeeper.firewall.Forward;
import dev.netkeeper.firewall.NetworkRules;

import java.util.List;
import java.util.Map;

/**
 * A network's whole share of its host's firewall table: its rules and exactly these forwards, by endpoint
 * (what its set-up and each converge of the host say).
 */
public record FirewallShare(NetworkRules rules, Map<String, List<Forward>> forwards) implements KernelTask {
    public FirewallShare {
        forwards = forwards == null ? Map.of() : Map.copyOf(forwards);
    }

    @Override
    public void run(KernelContext kernel) {
        kernel.firewall().converge(rules, forwards);
    }

    @Override
    public String describe() {
        return "firewall share of network " + rules.network();
    }
}
