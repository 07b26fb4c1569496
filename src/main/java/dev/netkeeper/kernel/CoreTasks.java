package dev.netkeeper.kernel;

import java.util.Map;

/** The kernel tasks of the agent itself (namespaces and interfaces). */
public final class CoreTasks implements KernelTaskSet {
    @Override
    public Map<String, Class<? extends KernelTask>> tasks() {
        return Map.of(
                "namespace.ensure", EnsureNamespace.class,
                "namespace.delete", DeleteNamespace.class,
                "namespace.path-free", NamespacePathFree.class,
                "namespace.not-netkeepers", NotNetkeepersNamespace.class,
                "link.delete", DeleteLink.class,
                "link.name-free", LinkNameFree.class,
                "interface.place", PlaceInterface.class,
                "interface.return", ReturnInterface.class,
                "interface.return-unlisted", ReturnUnlisted.class,
                "sequence", TaskSequence.class);
    }
}
