package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Path;

/**
 * The interface {@code dstName} in the namespace goes back to the host as {@code srcName}, down, as
 * libnetwork does when a container leaves a network: the endpoint stays linked and can be added again.
 * Nothing to do when the namespace or the interface is already gone.
 */
public record ReturnInterface(String namespacePath, String dstName, String srcName) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Path path = Path.of(namespacePath);
        if (!NetNamespace.isMounted(path)) {
            return;
        }
        Handle ns = kernel.in(path);
        if (ns.links().get(dstName).isEmpty()) {
            return;
        }
        ns.links().setDown(dstName);
        ns.links().rename(dstName, srcName);
        ns.links().moveTo(srcName, kernel.host().namespace());
    }

    @Override
    public String describe() {
        return "return " + dstName + " from " + namespacePath + " to the host as " + srcName;
    }
}
