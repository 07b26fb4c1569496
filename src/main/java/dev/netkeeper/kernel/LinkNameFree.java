package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Link;

import java.util.Optional;

/**
 * Checks, before anything is journaled, that the host has no link named {@code name} other than the one
 * marked {@code mark} (which may exist from an earlier attempt): NAME_IN_USE otherwise. Changes nothing.
 */
public record LinkNameFree(String name, LinkMark mark) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Optional<Link> link = kernel.host().links().get(name);
        if (link.isPresent() && !mark.owns(link.get(), mark.mac())) {
            throw new NameInUseException(link.get(), mark.text());
        }
    }

    @Override
    public String describe() {
        return "check that link name " + name + " is free";
    }
}
