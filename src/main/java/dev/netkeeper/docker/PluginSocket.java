package dev.netkeeper.docker;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.netkeeper.api.Agent;
import dev.netkeeper.api.ApiJson;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Docker plugin's door: its own unix socket (default {@code /run/docker/plugins/netkeeper.sock}, where dockerd
 * finds plugins by name), mode 0600, and every connection's peer checked to be root (dockerd runs as root; the mode
 * alone could be widened). Nobody else may drive it: it makes and deletes networks and endpoints. A connection is
 * served by one thread, at most {@value #CONNECTIONS} at once (dockerd opens a few).
 */
public final class PluginSocket implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PluginSocket.class);
    /** The media type of the protocol (dockerd sends it in Accept and does not check the reply's). */
    static final String MEDIA_TYPE = "application/vnd.docker.plugins.v1.2+json";
    static final int CONNECTIONS = 32;
    /** How long one of dockerd's calls may take before the connection is given up (dockerd's own limit is longer). */
    static final long CALL_TIMEOUT_SECONDS = 120;

    private final ServerSocketChannel server;
    private final Path socket;
    private final ExecutorService connections;
    private final DockerPlugin plugin;
    private volatile boolean closed;

    private PluginSocket(ServerSocketChannel server, Path socket, DockerPlugin plugin) {
        this.server = server;
        this.socket = socket;
        this.plugin = plugin;
        AtomicInteger n = new AtomicInteger();
        this.connections = new ThreadPoolExecutor(0, CONNECTIONS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "netkeeper-docker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Serves {@code agent}'s Docker plugin on {@code socket}; a socket left there by a killed agent is replaced. */
    public static PluginSocket start(Agent agent, Path socket) {
        Path at = socket.toAbsolutePath().normalize();
        prepare(at);
        ServerSocketChannel server;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(at));
            Files.setPosixFilePermissions(at, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot serve the Docker plugin on " + at + ": " + e);
        }
        PluginSocket door = new PluginSocket(server, at, new DockerPlugin(agent));
        Thread acceptor = new Thread(door::accept, "netkeeper-docker-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return door;
    }

    public Path socket() {
        return socket;
    }

    private void accept() {
        while (!closed) {
            SocketChannel c;
            try {
                c = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("Docker plugin socket {}: accept failed: {}", socket, e.toString());
                }
                return;
            }
            try {
                connections.execute(() -> serve(c));
            } catch (java.util.concurrent.RejectedExecutionException full) {
                closeQuietly(c); // dockerd retries a refused connection
            }
        }
    }

    /**
     * One request of one connection, answered with "Connection: close": after an agent restart dockerd's client holds
     * no kept-alive connection to a socket that is gone (it dials again for each call).
     */
    private void serve(SocketChannel c) {
        try (c) {
            InputStream in = Channels.newInputStream(c);
            OutputStream out = Channels.newOutputStream(c);
            Optional<String> user = peer(c);
            Optional<PluginHttp.Request> request;
            try {
                request = PluginHttp.read(in);
            } catch (PluginHttp.BadRequest e) {
                refuse(out, e.status, ErrorCode.INVALID_REQUEST + ": " + e.getMessage());
                return;
            }
            if (request.isEmpty()) {
                return;
            }
            if (user.isEmpty() || !user.get().equals("root")) {
                refuse(out, 403, ErrorCode.PERMISSION_DENIED + ": user " + user.orElse("(unknown)")
                        + " may not use the Docker plugin: it serves dockerd (root) only");
                return;
            }
            if (!request.get().method().equals("POST")) {
                refuse(out, 405, ErrorCode.INVALID_REQUEST + ": the Docker plugin protocol is POST /<Interface>.<Method>");
                return;
            }
            DockerPlugin.Answer answer = plugin.call(request.get().path(), request.get().body(), "unix:" + user.get())
                    .toCompletableFuture().get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            PluginHttp.write(out, 200, json(answer.body()), true);
        } catch (IOException e) {
            log.debug("Docker plugin connection ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Docker plugin call gave no answer: {}", e.toString());
        }
    }

    private static void refuse(OutputStream out, int status, String message) throws IOException {
        PluginHttp.write(out, status, json(Map.of("Err", message, "Error", message)), true);
    }

    private static String json(Map<String, Object> body) {
        try {
            return ApiJson.mapper().writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            return "{\"Err\":\"INTERNAL: the answer could not be written as JSON\"}\n";
        }
    }

    /** Who connected, as the kernel says (SO_PEERCRED). */
    private static Optional<String> peer(SocketChannel c) {
        try {
            UnixDomainPrincipal p = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return Optional.of(p.user().getName());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The directory (made 0755 like dockerd's own, when missing); an old socket removed, anything else refused. */
    private static void prepare(Path socket) {
        Path dir = socket.getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            }
            if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                if ((mode & 0170000) != 0140000) { // S_IFMT, S_IFSOCK (sys/stat.h)
                    throw new NetkeeperException(ErrorCode.INVALID_OPTION, "something that is no socket is at " + socket);
                }
                Files.delete(socket);
            }
        } catch (IOException e) {
            throw new NetkeeperException(ErrorCode.INTERNAL, "cannot prepare the Docker plugin socket " + socket + ": " + e);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        connections.shutdownNow();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // replaced at the next start
        }
    }
}
