package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Errno;
import dev.netkeeper.netlink.KernelException;
import dev.netkeeper.netlink.Link;

import java.util.Optional;

/**
 * No link named {@code name} marked {@code mark} in the host namespace (deleting a veth end removes its
 * peer too). A link of that name that is not marked so is someone else's: left as it is.
 */
public record DeleteLink(String name, LinkMark mark) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Optional<Link> link = kernel.host().links().get(name);
        if (link.isPresent() && mark.owns(link.get(), mark.mac())) {
            try {
                kernel.host().links().delete(link.get()); // the very link whose mark was checked
            } catch (KernelException e) {
                if (!e.errno().equals(Errno.ENODEV)) {
                    throw e;
                }
                // gone meanwhile: its peer's namespace was destroyed, and the kernel deleted the pair with it
            }
        }
    }

    @Override
    public String describe() {
        return "delete link " + name + " (" + mark.text() + ")";
    }
}
