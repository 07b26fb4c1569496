package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The interface {@code dstName} in the namespace goes back to the host as {@code srcName}, down, as
 * libnetwork does when a container leaves a network: the endpoint stays linked and can be added again.
 * Nothing to do when the namespace or the interface is already gone; a link named {@code dstName} with
 * another MAC than the interface's is someone else's and stays where it is.
 */
public record ReturnInterface(String namespacePath, String dstName, String srcName, String macAddress,
                              String namespaceIdentity) implements KernelTask {

    @Override
    public void run(KernelContext kernel) {
        Path path = Path.of(namespacePath);
        if (namespaceIdentity == null ? !kernel.owns(path)
                : !NetNamespace.identity(path).equals(Optional.of(namespaceIdentity))) {
            return; // gone, or another namespace is there now: nothing of ours to return
        }
        Handle ns = kernel.in(path);
        Optional<Link> link = ns.links().get(dstName);
        if (link.isEmpty() || !link.get().mac().equals(Optional.of(MacAddress.parse(macAddress)))
                || !PlaceInterface.leadsToTheHost(kernel, link.get())) {
            return; // not this interface: a link of the container's own is never moved into the host
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
