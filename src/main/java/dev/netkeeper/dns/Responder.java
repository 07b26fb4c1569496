package dev.netkeeper.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a network's resolver says to one query, from the {@link NameBook}: the names of the client's networks (A,
 * AAAA) and their addresses in reverse (PTR) are answered here, authoritatively; a single-label name or a reverse
 * name of a network's subnet that no endpoint holds is NXDOMAIN here too (a container's name is never asked of the
 * outside); anything else goes upstream, except from an internal network, which has no outside. A client outside the
 * network's subnets is REFUSED (the firewall drops it before, this holds without it).
 */
final class Responder {
    /** What to do with a query. */
    sealed interface Outcome permits Answer, Forward, Drop {}

    /**
     * Send this back; {@code kind} is what the metrics count; {@code udpLimit} the most a UDP answer may take (the
     * query's EDNS payload, see {@link #udpLimit}).
     */
    record Answer(Message message, String kind, int udpLimit) implements Outcome {
        Answer(Message message, String kind) {
            this(message, kind, 512);
        }

        /** The answer's bytes for the transport: truncated (TC) to the limit over UDP, whole over TCP. */
        byte[] wire(boolean tcp) {
            return tcp ? message.toWire() : message.toWire(udpLimit);
        }
    }

    /** Ask the upstreams. */
    record Forward(Message query) implements Outcome {}

    /** Nothing to say (not a query at all). */
    record Drop() implements Outcome {}

    /** The largest EDNS payload the resolver offers and accepts over UDP (the DNS flag day's safe size). */
    static final int EDNS_PAYLOAD = 1232;

    private final NameBook book;
    private final long ttlSeconds;

    Responder(NameBook book, long ttlSeconds) {
        this.book = book;
        this.ttlSeconds = ttlSeconds;
    }

    Outcome respond(byte[] wire, NetworkNames own, InetAddress source) {
        Message query;
        try {
            query = new Message(wire);
        } catch (IOException e) {
            return wire.length >= Header.LENGTH && (wire[2] & 0x80) == 0 ? formErr(wire) : new Drop();
        }
        Outcome o = respond(query, own, source);
        return o instanceof Answer a ? new Answer(a.message(), a.kind(), udpLimit(query)) : o;
    }

    private Outcome respond(Message query, NetworkNames own, InetAddress source) {
        Header h = query.getHeader();
        if (h.getFlag(Flags.QR)) {
            return new Drop();
        }
        if (h.getOpcode() != Opcode.QUERY) {
            return new Answer(reply(query, Rcode.NOTIMP, false), "notimp");
        }
        Record question = query.getQuestion();
        if (question == null || h.getCount(Section.QUESTION) != 1) {
            return new Answer(reply(query, Rcode.FORMERR, false), "formerr");
        }
        if (!own.contains(source)) {
            return new Answer(reply(query, Rcode.REFUSED, false), "refused");
        }
        Name name = question.getName();
        int type = question.getType();
        List<NetworkNames> scope = book.scope(own, source);
        if (question.getDClass() == DClass.IN) {
            Optional<Answer> local = isReverse(name) ? reverse(query, scope, name) : forward(query, scope, name, type);
            if (local.isPresent()) {
                return local.get();
            }
        }
        if (own.internal()) {
            return new Answer(reply(query, Rcode.REFUSED, false), "refused");
        }
        return new Forward(query);
    }

    private Optional<Answer> forward(Message query, List<NetworkNames> scope, Name name, int type) {
        for (NetworkNames n : scope) {
            List<NetworkNames.Host> hosts = n.lookup(name);
            if (hosts.isEmpty()) {
                continue;
            }
            Message r = reply(query, Rcode.NOERROR, true);
            for (NetworkNames.Host host : hosts) {
                if ((type == Type.A || type == Type.ANY) && host.v4() != null) {
                    r.addRecord(new ARecord(name, DClass.IN, ttlSeconds, host.v4()), Section.ANSWER);
                }
                if ((type == Type.AAAA || type == Type.ANY) && host.v6() != null) {
                    r.addRecord(new AAAARecord(name, DClass.IN, ttlSeconds, host.v6()), Section.ANSWER);
                }
            }
            boolean empty = r.getSection(Section.ANSWER).isEmpty();
            return Optional.of(new Answer(r, empty ? "nodata" : type == Type.AAAA ? "aaaa" : "a"));
        }
        boolean ours = name.labels() <= 2 || scope.stream().anyMatch(n -> NetworkNames.isHostName(n.network())
                && name.toString(true).toLowerCase(Locale.ROOT).endsWith("." + n.network().toLowerCase(Locale.ROOT)));
        return ours ? Optional.of(new Answer(reply(query, Rcode.NXDOMAIN, true), "nxdomain")) : Optional.empty();
    }

    private Optional<Answer> reverse(Message query, List<NetworkNames> scope, Name name) {
        for (NetworkNames n : scope) {
            if (!n.coversReverse(name)) {
                continue;
            }
            Name target = n.reverse(name).map(NetworkNames.Host::ptrTarget).orElse(null);
            if (target == null) {
                return Optional.of(new Answer(reply(query, Rcode.NXDOMAIN, true), "nxdomain"));
            }
            Message r = reply(query, Rcode.NOERROR, true);
            int type = query.getQuestion().getType();
            if (type == Type.PTR || type == Type.ANY) {
                r.addRecord(new PTRRecord(name, DClass.IN, ttlSeconds, target), Section.ANSWER);
                return Optional.of(new Answer(r, "ptr"));
            }
            return Optional.of(new Answer(r, "nodata"));
        }
        return Optional.empty();
    }

    private static boolean isReverse(Name name) {
        return NetworkNames.isReverseName(name);
    }

    /** An answer to {@code query} with its question, RD copied, RA (the resolver recurses), AA when local. */
    static Message reply(Message query, int rcode, boolean authoritative) {
        Message r = new Message(query.getHeader().getID());
        Header h = r.getHeader();
        h.setFlag(Flags.QR);
        h.setFlag(Flags.RA);
        if (query.getHeader().getFlag(Flags.RD)) {
            h.setFlag(Flags.RD);
        }
        if (authoritative) {
            h.setFlag(Flags.AA);
        }
        h.setRcode(rcode);
        if (query.getQuestion() != null) {
            r.addRecord(query.getQuestion(), Section.QUESTION);
        }
        if (query.getOPT() != null) {
            r.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        return r;
    }

    /** The most a UDP answer to {@code query} may take: 512 bytes, or the EDNS payload it offers (up to ours). */
    static int udpLimit(Message query) {
        OPTRecord opt = query == null ? null : query.getOPT();
        return opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), EDNS_PAYLOAD));
    }

    /** FORMERR for a query that did not parse: its id and opcode only, as the header still says them. */
    private static Outcome formErr(byte[] wire) {
        Message r = new Message(((wire[0] & 0xff) << 8) | (wire[1] & 0xff));
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(Rcode.FORMERR);
        return new Answer(r, "formerr");
    }
}
