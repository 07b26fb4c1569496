package dev.netkeeper.http;

import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.cni.CniPlugin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The local API: HTTP/1.1 + JSON on a unix socket (Jetty's unix-domain connector), for the CLI, container
 * runtimes and operators, beside {@code /healthz}, {@code /readyz} and {@code /metrics}. The socket is made
 * inside a directory of mode 0750 (made so, when the agent makes it), then given mode 0660, both owned by root
 * and by the group {@value #GROUP} when that group exists; every request's caller is checked again
 * ({@link SocketPeers}) and recorded as the origin of what it changes.
 */
public final class LocalApi implements AutoCloseable {
    /** The group whose members may use the socket, besides root. */
    public static final String GROUP = "netkeeper";

    private final Server server;
    private final Path socket;
    private final CniPlugin cni;

    private LocalApi(Server server, Path socket, CniPlugin cni) {
        this.server = server;
        this.socket = socket;
        this.cni = cni;
    }

    /**
     * Serves {@code agent} on {@code socket}; {@code metrics} renders the Prometheus text; {@code cni} answers the
     * CNI shim on {@code POST /v1/cni} (its readiness is part of {@code /readyz}).
     */
    public static LocalApi start(Agent agent, Path socket, Supplier<String> metrics, CniPlugin cni) {
        return start(agent, socket, metrics, cni, SocketPeers.standard());
    }

    static LocalApi start(Agent agent, Path socket, Supplier<String> metrics, CniPlugin cni, SocketPeers peers) {
        Path at = socket.toAbsolutePath().normalize();
        prepareDirectory(at.getParent());
        removeStaleSocket(at);
        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("netkeeper-http");
        Server server = new Server(threads);
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory());
        connector.setUnixDomainPath(at);
        server.addConnector(connector);
        server.setHandler(new ApiHandler(new ApiRoutes(agent, cni).table(), agent, metrics, cni, peers));
        try {
            server.start();
            Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rw-rw----"));
            group(at).ifPresent(g -> setGroup(at, g));
        } catch (Exception e) {
            stopQuietly(server);
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot serve the local API on " + at + ": " + e);
        }
        cni.start(); // the spool replayed once the socket is there: what the shim spools from now on waits in it
        return new LocalApi(server, at, cni);
    }

    public Path socket() {
        return socket;
    }

    /** Makes the socket's directory, mode 0750 from the start; one that exists is left as the operator made it. */
    private static void prepareDirectory(Path dir) {
        if (Files.isSymbolicLink(dir)) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "the local API's directory " + dir + " is a symlink");
        }
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            // the umask can only have narrowed it: widening to exactly 0750 opens no window to others
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            group(dir).ifPresent(g -> setGroup(dir, g));
        } catch (FileAlreadyExistsException e) {
            throw new NetkeeperException(ErrorCode.INVALID_OPTION, "the local API's directory " + dir + " is no directory");
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot make the local API's directory " + dir + ": " + e);
        }
    }

    /** A socket left by an agent that was killed is removed; anything else at the path is refused. */
    private static void removeStaleSocket(Path socket) {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0170000) != 0140000) { // S_IFMT, S_IFSOCK (sys/stat.h)
                throw new NetkeeperException(ErrorCode.INVALID_OPTION, "something that is no socket is at " + socket);
            }
            Files.delete(socket);
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot remove the old socket " + socket + ": " + e);
        }
    }

    private static Optional<GroupPrincipal> group(Path p) {
        try {
            return Optional.of(p.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(GROUP));
        } catch (IOException e) {
            return Optional.empty(); // no such group: root only
        }
    }

    private static void setGroup(Path p, GroupPrincipal g) {
        try {
            Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(g);
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot give " + p + " to group " + GROUP + ": " + e);
        }
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // failing to start already says what went wrong
        }
    }

    @Override
    public void close() {
        cni.close();
        stopQuietly(server);
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // a socket file left behind is removed at the next start
        }
    }
}
