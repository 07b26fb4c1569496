package dev.netkeeper.namespace;

import dev.netkeeper.netlink.NetNamespace;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where namespaces may be mounted: absolute paths strictly below one of the allowed roots, without
 * "." or ".." segments and without a symlink anywhere on the way (the agent runs as root).
 */
public record PathPolicy(List<Path> roots) {
    public PathPolicy {
        roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /** The path, or PATH_NOT_ALLOWED saying why not. */
    public Path check(String text) {
        Path path = checkSyntax(text);
        if (roots.contains(path)) {
            throw refused(text, "it is an allowed directory itself, not a path below it");
        }
        Path root = roots.stream().filter(r -> path.startsWith(r) && !path.equals(r)).findFirst()
                .orElseThrow(() -> refused(text, "it is outside the allowed directories " + roots));
        if (path.getFileName().toString().contains(":")) {
            throw refused(text, "its name contains ':'");
        }
        for (Path p = path; p != null && !p.equals(root.getParent()); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) {
                throw refused(text, p + " is a symbolic link");
            }
        }
        return path;
    }

    /**
     * A path of a namespace someone else made, to be used (never made or removed): one the policy allows, or
     * a process's own, {@code /proc/PID/ns/net}.
     */
    public Path checkUsable(String text) {
        if (text != null && NetNamespace.isProcessNamespace(Path.of(text))) {
            return Path.of(text);
        }
        return check(text);
    }

    /**
     * What any agent would refuse, checkable without knowing its roots (a remote client's first
     * check): an absolute, valid path without "." or ".." segments.
     */
    public static Path checkSyntax(String text) {
        if (text == null || text.isEmpty() || !text.startsWith("/")) {
            throw refused(text, "it is not an absolute path");
        }
        for (String segment : text.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw refused(text, "it contains '" + segment + "'");
            }
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw refused(text, "it is not a valid path (" + e.getReason() + ")");
        }
    }

    private static NetkeeperException refused(String path, String why) {
        return new NetkeeperException(ErrorCode.PATH_NOT_ALLOWED, "namespace path '" + path + "' is refused: " + why);
    }
}
