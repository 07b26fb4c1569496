package dev.netkeeper.kernel;

import dev.netkeeper.firewall.Forward;

import java.util.List;

/** One endpoint's published ports on its host, exactly these (none: it publishes nothing now). */
public record FirewallForwards(String network, String endpoint, List<Forward> forwards) implements KernelTask {
    public FirewallForwards {
        forwards = forwards == null ? List.of() : List.copyOf(forwards);
    }

    @Override
    public void run(KernelContext kernel) {
        kernel.firewall().forwards(network, endpoint, forwards);
    }

    @Override
    public String describe() {
        return "published ports of endpoint " + endpoint + " of network " + network;
    }
}
