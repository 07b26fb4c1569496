package dev.netkeeper.dns;

import dev.netkeeper.netlink.NetNamespace;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * This host's resolvers: one per network with a resolver whose bridge is on this host, listening on the network's
 * gateway addresses (UDP and TCP port 53, in the host namespace), answering from the journal ({@link NameBook} fed by
 * {@link JournalFeed}) and forwarding the rest upstream ({@link Forwarder}); and the resolv.conf of the namespaces
 * made here ({@link ResolvConfFiles}). The listeners and files follow the journal: after each change, and every
 * {@link #RETRY} (a gateway address that was not on the host yet, a file someone removed), on one platform thread of
 * their own, which is the only one that ever enters the host namespace to make a socket.
 */
public final class Resolvers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Resolvers.class);
    static final java.time.Duration RETRY = java.time.Duration.ofSeconds(2);

    private final String hostId;
    private final Optional<NetNamespace> hostNamespace;
    private final NameBook book = new NameBook();
    private final Responder responder;
    private final DnsMetrics metrics = new DnsMetrics();
    private final ScheduledExecutorService owner;
    private final ExecutorService connections;
    private final ResolvConfFiles files;
    private final Map<InetAddress, Listener> listeners = new HashMap<>();
    private final Set<InetAddress> failing = new HashSet<>();
    private final AtomicBoolean queued = new AtomicBoolean();
    private Forwarder forwarder;
    private JournalFeed feed;

    private Resolvers(DnsSettings settings, String hostId, Optional<NetNamespace> hostNamespace) {
        this.hostId = hostId;
        this.hostNamespace = hostNamespace;
        this.responder = new Responder(book, settings.ttl().toSeconds());
        this.files = new ResolvConfFiles(settings.netnsEtcDir(), hostId);
        this.owner = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "dns-owner"));
        this.connections = Executors.newCachedThreadPool(r -> daemon(r, "dns-tcp-conversation"));
    }

    /** Starts them, or returns null when netkeeper.dns.enabled is off. */
    public static Resolvers start(ActorSystem<?> system, DnsSettings settings, String hostId, Optional<Path> hostNamespace) {
        if (!settings.enabled()) {
            return null;
        }
        Resolvers r = new Resolvers(settings, hostId, hostNamespace.map(NetNamespace::open));
        try {
            DatagramChannel upstream = r.onOwner(() -> r.inHost(() -> DatagramChannel.open().bind(null)));
            Upstreams upstreams = new Upstreams(settings.resolvConf(), r.book::ownAddresses);
            r.forwarder = new Forwarder(upstream, upstreams, settings, r.owner);
            r.feed = new JournalFeed(system, r.book, r::changed);
            r.owner.scheduleWithFixedDelay(r::converge, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void changed() {
        if (queued.compareAndSet(false, true)) {
            owner.schedule(() -> {
                queued.set(false);
                converge();
            }, 20, TimeUnit.MILLISECONDS);
        }
    }

    /** On the owner thread: listeners and files as the journal says now. */
    private void converge() {
        try {
            Set<InetAddress> wanted = new HashSet<>();
            book.listeners(hostId).values().forEach(wanted::addAll);
            listeners.keySet().removeIf(a -> {
                if (!wanted.contains(a)) {
                    listeners.get(a).close();
                    log.info("resolver at {} stopped", a.getHostAddress());
                    return true;
                }
                return false;
            });
            for (InetAddress a : wanted) {
                if (!listeners.containsKey(a)) {
                    listen(a);
                }
            }
            failing.retainAll(wanted);
            files.converge(book.resolvConfs(hostId));
        } catch (RuntimeException e) {
            log.warn("resolvers: converge failed, trying again in {}: {}", RETRY, e.toString());
        }
    }

    private void listen(InetAddress address) {
        try {
            Listener l = inHost(() -> Listener.bind(address));
            l.serve((wire, from, tcp, reply) -> query(wire, from, tcp, reply, address), connections);
            listeners.put(address, l);
            failing.remove(address);
            log.info("resolver at {} port {} (udp, tcp)", address.getHostAddress(), Listener.PORT);
        } catch (RuntimeException e) {
            // the bridge may not be up yet (or the address still being added): the next pass tries again
            if (failing.add(address)) {
                log.info("resolver at {} not yet: {}", address.getHostAddress(), e.getMessage());
            }
        }
    }

    /** One query to the resolver at its network's gateway. */
    private void query(byte[] wire, InetSocketAddress from, boolean tcp, Consumer<byte[]> reply, InetAddress at) {
        long start = System.nanoTime();
        metrics.query(tcp ? "tcp" : "udp");
        NetworkNames own = book.atGateway(at);
        if (own == null) {
            return; // the network went a moment ago: its listener is about to close
        }
        Responder.Outcome outcome = responder.respond(wire, own, from.getAddress());
        if (outcome instanceof Responder.Answer a) {
            reply.accept(a.wire(tcp));
            metrics.answered(a.kind(), true, System.nanoTime() - start);
        } else if (outcome instanceof Responder.Forward f) {
            int id = f.query().getHeader().getID();
            boolean edns = f.query().getOPT() != null;
            forwarder.forward(f.query()).thenAccept(answer -> {
                Message m = answer.clone();
                m.getHeader().setID(id);
                if (!edns && m.getOPT() != null) {
                    m.removeAllRecords(org.xbill.DNS.Section.ADDITIONAL);
                }
                reply.accept(tcp ? m.toWire() : m.toWire(Responder.udpLimit(f.query())));
                metrics.answered(m.getRcode() == org.xbill.DNS.Rcode.SERVFAIL ? "servfail" : "forwarded", false,
                        System.nanoTime() - start);
            });
        }
    }

    private interface Make<T> {
        T make() throws IOException;
    }

    /** Makes a socket in the host namespace; on the owner thread only (setns is per thread). */
    private <T> T inHost(Make<T> make) {
        java.util.concurrent.Callable<T> c = () -> {
            try {
                return make.make();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        };
        try {
            return hostNamespace.isPresent() ? hostNamespace.get().call(c) : c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private <T> T onOwner(java.util.concurrent.Callable<T> work) {
        try {
            return owner.submit(work).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("resolvers: " + e, e);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        if (feed != null) {
            feed.close();
        }
        try {
            owner.submit(() -> {
                listeners.values().forEach(Listener::close);
                listeners.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // closing anyway
        }
        owner.shutdownNow();
        connections.shutdownNow();
        if (forwarder != null) {
            forwarder.close();
        }
        hostNamespace.ifPresent(NetNamespace::close);
    }
}
