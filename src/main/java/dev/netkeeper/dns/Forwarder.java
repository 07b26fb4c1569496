package dev.netkeeper.dns;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Asks the host's upstream resolvers what the networks' names do not answer, over one UDP socket made in the host
 * namespace (so the query leaves as the host's own would). Each query goes out under an id of its own (random, so
 * that an answer cannot be guessed), to the first upstream, then to the next when one does not answer within the
 * timeout; an answer counts only from the upstream asked, for the question asked. Queries go out with an EDNS payload
 * of {@value Responder#EDNS_PAYLOAD} so that an answer too big for a client's UDP is whole when it asks again over TCP.
 * Answers are kept a short while (their TTL, at most the cache's limit), NOERROR and NXDOMAIN only.
 */
final class Forwarder implements AutoCloseable {
    private record Pending(CompletableFuture<Message> answer, Message query, InetSocketAddress upstream,
                           List<InetAddress> rest) {}

    private record Cached(Message answer, long expiresAt) {}

    private final DatagramChannel socket;
    private final Upstreams upstreams;
    private final Duration timeout;
    private final ScheduledExecutorService timer;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache;
    private final long cacheMaxNanos;
    private final Thread receiver;

    Forwarder(DatagramChannel socket, Upstreams upstreams, DnsSettings settings, ScheduledExecutorService timer) {
        this.socket = socket;
        this.upstreams = upstreams;
        this.timeout = settings.forwardTimeout();
        this.timer = timer;
        this.cacheMaxNanos = settings.cacheMaxTtl().toNanos();
        int size = settings.cacheSize();
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > size;
            }
        };
        this.receiver = new Thread(this::receive, "dns-upstream");
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The upstream's answer (the client's id is set by the caller), or SERVFAIL when none answered. */
    CompletableFuture<Message> forward(Message query) {
        String key = key(query);
        Message cached = cached(key);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Message> answer = new CompletableFuture<>();
        send(answer, query, upstreams.current());
        return answer.thenApply(a -> {
            remember(key, a);
            return a;
        });
    }

    private void send(CompletableFuture<Message> answer, Message query, List<InetAddress> servers) {
        if (servers.isEmpty()) {
            answer.complete(Responder.reply(query, Rcode.SERVFAIL, false));
            return;
        }
        Message out = query.clone();
        int id;
        Pending p;
        do {
            id = ThreadLocalRandom.current().nextInt(0x10000);
            out.getHeader().setID(id);
            p = new Pending(answer, query, new InetSocketAddress(servers.get(0), 53), servers.subList(1, servers.size()));
        } while (pending.putIfAbsent(id, p) != null);
        if (out.getOPT() == null) {
            out.addRecord(new OPTRecord(Responder.EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        try {
            socket.send(ByteBuffer.wrap(out.toWire()), p.upstream());
        } catch (IOException e) {
            pending.remove(id, p);
            send(answer, query, p.rest()); // that upstream cannot be reached from here: the next one
            return;
        }
        int sent = id;
        Pending asked = p;
        timer.schedule(() -> {
            if (pending.remove(sent, asked)) {
                send(answer, query, asked.rest());
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(65535);
        while (socket.isOpen()) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) socket.receive(buf);
                buf.flip();
                byte[] wire = new byte[buf.remaining()];
                buf.get(wire);
                Message m = new Message(wire);
                Pending p = pending.get(m.getHeader().getID());
                if (p != null && p.upstream().equals(from) && m.getHeader().getFlag(Flags.QR)
                        && sameQuestion(p.query(), m) && pending.remove(m.getHeader().getID(), p)) {
                    p.answer().complete(m);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // an answer that does not parse is no answer: the timeout moves on to the next upstream
            }
        }
    }

    private static boolean sameQuestion(Message query, Message answer) {
        Record q = query.getQuestion();
        Record a = answer.getQuestion();
        return q != null && a != null && q.getName().equals(a.getName()) && q.getType() == a.getType()
                && q.getDClass() == a.getDClass();
    }

    private static String key(Message query) {
        Record q = query.getQuestion();
        return q.getName().toString().toLowerCase(Locale.ROOT) + "/" + q.getType() + "/" + q.getDClass()
                + (query.getHeader().getFlag(Flags.CD) ? "/cd" : "");
    }

    private synchronized Message cached(String key) {
        Cached c = cache.get(key);
        if (c == null) {
            return null;
        }
        if (System.nanoTime() - c.expiresAt() > 0) {
            cache.remove(key);
            return null;
        }
        return c.answer();
    }

    private synchronized void remember(String key, Message answer) {
        int rcode = answer.getRcode();
        if (cacheMaxNanos <= 0 || (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN)
                || answer.getHeader().getFlag(Flags.TC)) {
            return;
        }
        long ttl = Long.MAX_VALUE;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : answer.getSection(section)) {
                ttl = Math.min(ttl, r.getTTL());
            }
        }
        long nanos = Math.min(cacheMaxNanos, ttl == Long.MAX_VALUE ? 0 : TimeUnit.SECONDS.toNanos(ttl));
        if (nanos > 0) {
            cache.put(key, new Cached(answer, System.nanoTime() + nanos));
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
        pending.values().forEach(p -> p.answer().complete(Responder.reply(p.query(), Rcode.SERVFAIL, false)));
        pending.clear();
    }
}
