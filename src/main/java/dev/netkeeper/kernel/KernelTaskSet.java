package dev.netkeeper.kernel;

import java.util.Map;

/**
 * The kernel tasks that one part of the agent brings (the core, a network driver), by the stable names
 * under which they travel to another host's netlink actor. Found with {@code ServiceLoader}: list the
 * implementing class in {@code META-INF/services/dev.netkeeper.kernel.KernelTaskSet} (a driver with
 * tasks of its own implements this beside {@code NetworkDriver}). A task without a name cannot be sent.
 */
public interface KernelTaskSet {
    Map<String, Class<? extends KernelTask>> tasks();
}
