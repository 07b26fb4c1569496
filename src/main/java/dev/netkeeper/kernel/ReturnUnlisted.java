package dev.netkeeper.kernel;

import dev.netkeeper.netlink.Handle;
import dev.netkeeper.netlink.Link;
import dev.netkeeper.netlink.MacAddress;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Of netkeeper's interfaces in the namespace at {@code namespacePath}, only those whose MAC is in
 * {@code listedMacs} (what its journal lists) stay; every other one, left by a remove or delete that a crash
 * cut, goes back to the host, down, under the name its mark gives. A link is netkeeper's when it carries a
 * container end's mark and its peer is netkeeper's in the host; the container's own links are never moved.
 * When another link holds that name in the host, the interface is renamed to it inside the namespace (so it
 * holds no name the namespace may want) and waits there: the step fails, NAME_IN_USE, after the others, and
 * converge tries again. No namespace at the path, or another one than netkeeper's ({@code namespaceIdentity}
 * null) or the registered one: nothing to do.
 */
public record ReturnUnlisted(String namespacePath, List<String> listedMacs, String namespaceIdentity)
        implements KernelTask {
    public ReturnUnlisted {
        listedMacs = List.copyOf(listedMacs);
    }

    @Override
    public void run(KernelContext kernel) {
        Path path = Path.of(namespacePath);
        boolean ours = namespaceIdentity == null ? kernel.owns(path)
                : NetNamespace.identity(path).equals(Optional.of(namespaceIdentity));
        if (!ours) {
            return;
        }
        Handle ns = kernel.in(path);
        Set<MacAddress> listed = listedMacs.stream().map(MacAddress::parse).collect(Collectors.toSet());
        RuntimeException first = null;
        for (Link link : ns.links().list()) {
            Optional<String> hostName = LinkMark.containerEndHostName(link);
            if (hostName.isEmpty() || link.mac().map(listed::contains).orElse(false)
                    || !PlaceInterface.leadsToTheHost(kernel, link)) {
                continue;
            }
            ns.links().setDown(link.name());
            if (!link.name().equals(hostName.get())) {
                ns.links().rename(link.name(), hostName.get());
            }
            Optional<Link> squatter = kernel.host().links().get(hostName.get());
            if (squatter.isPresent()) {
                if (first == null) {
                    first = new NameInUseException(squatter.get(), "the interface " + hostName.get() + " that "
                            + namespacePath + " gives back (it waits there until the name is free)");
                }
                continue;
            }
            ns.links().moveTo(hostName.get(), kernel.host().namespace());
        }
        if (first != null) {
            throw first;
        }
    }
    @Override
    public String describe() {
        return "return what " + namespacePath + " does not list (" + listedMacs.size() + " listed) to the host";
    }
}
