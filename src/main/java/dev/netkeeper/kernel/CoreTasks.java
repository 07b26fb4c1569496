package dev.netkeeper.kernel;

import java.util.Map;

/** The kernel tasks of the agent itself (namespaces and interfaces). */
public final class CoreTasks implements KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.ofEntries(
                Map.entry("namespace.ensure", EnsureNamespace.class),
                Map.entry("namespace.delete", DeleteNamespace.class),
                Map.entry("namespace.path-free", NamespacePathFree.class),
                Map.entry("namespace.not-netkeepers", NotNetkeepersNamespace.class),
                Map.entry("link.delete", DeleteLink.class),
                Map.entry("link.name-free", LinkNameFree.class),
                Map.entry("interface.place", PlaceInterface.class),
                Map.entry("interface.return", ReturnInterface.class),
                Map.entry("interface.check", CheckPlacement.class),
                Map.entry("interface.return-unlisted", ReturnUnlisted.class),
                Map.entry("sequence", TaskSequence.class));
    }
}
