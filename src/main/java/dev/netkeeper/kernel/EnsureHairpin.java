package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Link;

import java.util.Optional;

/**
 * Hairpin mode on the bridge port of one endpoint's host end (on while it publishes ports: it may then reach its own
 * published port through the host's address). A link of that name not marked so is someone else's: left alone; one
 * that is gone has nothing to set.
 */
public record EnsureHairpin(String hostVeth, LinkMark mark, boolean on) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Optional<Link> link = kernel.host().links().get(hostVeth);
        if (link.isPresent() && mark.owns(link.get(), mark.mac())) {
            kernel.host().links().setHairpin(link.get(), on);
        }
    }

    @Override
    public String describe() {
        return "hairpin " + (on ? "on" : "off") + " on " + hostVeth;
    }
}
