package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.nio.file.Path;

/**
 * Checks, before a namespace of another owner is registered at {@code path}, that it is not one of netkeeper's
 * own seen through another path (a bind mount of it): one namespace is one entity, and two entities over one
 * namespace would each take the other's interfaces for strays. Changes nothing.
 */
public record NotNetkeepersNamespace(String path) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        NamespaceMark.anyOn(kernel.in(Path.of(path))).ifPresent(own -> {
            throw new NetkeeperException(ErrorCode.NAMESPACE_EXISTS, "the namespace at " + path
                    + " is netkeeper's own namespace " + own + ": use it by that path");
        });
    }

    @Override
    public String describe() {
        return "check that the namespace at " + path + " is none of netkeeper's own";
    }
}
