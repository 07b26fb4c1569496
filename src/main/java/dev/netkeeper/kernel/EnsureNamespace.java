package dev.netkeeper.kernel;

import java.nio.file.Path;

/** A network namespace is mounted at {@code path} (created if missing, e.g. after a reboot). */
public record EnsureNamespace(String path) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        kernel.ensureNamespace(Path.of(path));
    }

    @Override
    public String describe() {
        return "ensure namespace " + path;
    }
}
