package dev.netkeeper.kernel;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.netlink.NetNamespace;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks, before a namespace's creation is journaled, that nothing is at {@code path}: a namespace someone
 * else mounted there (e.g. {@code ip netns add}) or any other file is refused as NAMESPACE_EXISTS, so that
 * netkeeper never takes over, and later deletes, what it did not make. Changes nothing.
 */
public record NamespacePathFree(String path) implements KernelTask {
    @Override
    public void run(KernelContext kernel) {
        Path p = Path.of(path);
        if (NetNamespace.isMounted(p)) {
            throw new NetkeeperException(ErrorCode.NAMESPACE_EXISTS, "a network namespace is already mounted at "
                    + path + ", not made by netkeeper; it is not taken over");
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new NetkeeperException(ErrorCode.NAMESPACE_EXISTS, "a file that is no namespace of netkeeper's is at "
                    + path + "; it is left as it is");
        }
    }

    @Override
    public String describe() {
        return "check that nothing is at " + path;
    }
}
