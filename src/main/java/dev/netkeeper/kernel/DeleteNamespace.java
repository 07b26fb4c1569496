package dev.netkeeper.kernel;

import java.nio.file.Path;

/** No namespace is mounted at {@code path} any more. */
public record DeleteNamespace(String path) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        kernel.deleteNamespace(Path.of(path));
    }

    @Override
    public String describe() {
        return "delete namespace " + path;
    }
}
