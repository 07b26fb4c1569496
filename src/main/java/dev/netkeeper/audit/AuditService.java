package dev.netkeeper.audit;

import dev.netkeeper.api.NamespaceId;
import dev.netkeeper.api.Audit;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.StateAt;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceAdded;
import dev.netkeeper.namespace.NamespaceEvent.InterfaceRemoved;
import dev.netkeeper.namespace.NamespaceEvent.NamespaceDeleted;
import dev.netkeeper.namespace.NamespaceState;
import dev.netkeeper.namespace.PlacedInterface;
import dev.netkeeper.network.NetworkDirectory;
import dev.netkeeper.network.NetworkEntity;
import dev.netkeeper.network.NetworkEvent;
import dev.netkeeper.network.NetworkState;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The audit trail: queries over the read journal (the events of networks and namespaces, tagged
 * {@link NetworkEntity#TAG} and {@link NamespaceEntity#TAG}).
 *
 * <p>{@link #audit} reads each tag from the query's offset on ({@code currentEventsByTag}: a query sees every
 * event journaled before it started) and merges them by offset. The two tags are separate queries, so a
 * page only reaches as far as both are known to be complete: an event of one tag journaled between the
 * two queries is never skipped, it comes in the next page. Polling with a page's {@code lastOffset} reads
 * only the journal after it.
 *
 * <p>{@link #stateAt} replays each entity's events up to an instant through the entities' own event
 * handlers ({@link NetworkState#apply}, {@link NamespaceState#apply}).
 */
public final class AuditService {
    public static final int DEFAULT_LIMIT = 1000;
    /**
     * A page ends before its records' text passes this many characters (at least one record per page): a
     * reply must fit one Artery frame (pekko.remote.artery.advanced.maximum-frame-size, 256 KiB by default).
     */
    static final int PAGE_BUDGET_CHARS = 96 * 1024;
    /** CBOR field names and numbers of one record. */
    private static final int RECORD_OVERHEAD_CHARS = 128;

    private final ActorSystem<?> system;
    /** Looked up on first use (the JDBC read journal polls the database once it exists); cheap after that. */
    private volatile JdbcReadJournal journal;

    public AuditService(ActorSystem<?> system) {
        this.system = system;
    }

    private JdbcReadJournal journal() {
        JdbcReadJournal j = journal;
        if (j == null) {
            j = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
            journal = j;
        }
        return j;
    }

    // ---- the audit trail ---------------------------------------------------------------------------

    /** One page of the changes that match {@code query}, ordered by offset. */
    public CompletionStage<AuditPage> audit(AuditQuery query) {
        AuditQuery q = query == null ? AuditQuery.all() : query;
        if (q.sinceMillis() != null && q.untilMillis() != null && q.sinceMillis() > q.untilMillis()) {
            return CompletableFuture.failedFuture(new NetkeeperException(ErrorCode.INVALID_OPTION,
                    "since (" + q.sinceMillis() + ") is after until (" + q.untilMillis() + ")"));
        }
        int limit = q.limit() <= 0 ? DEFAULT_LIMIT : q.limit();
        long after = Math.max(0L, q.afterOffset());
        Filter filter = Filter.of(q);
        Placements placements = new Placements();
        CompletionStage<AuditPage> page;
        if (filter.namespace() != null) {
            // namespace events only: one tag, complete as far as it was read
            page = scan(NamespaceEntity.TAG, after, filter, limit, placements)
                    .thenApply(s -> page(s.records, s.completeUpTo(), limit, after));
        } else {
            page = scan(NetworkEntity.TAG, after, filter, limit, placements).thenCompose(nets ->
                    scan(NamespaceEntity.TAG, after, filter, limit, placements).thenCompose(nss -> {
                        // nss started after nets ended, so it saw everything nets saw the journal reach
                        long netsUpTo = nets.completeUpTo();
                        long nssUpTo = nss.truncated ? nss.completeUpTo() : Math.max(nss.completeUpTo(), netsUpTo);
                        if (nets.truncated || netsUpTo >= nssUpTo) {
                            return CompletableFuture.completedFuture(
                                    page(concat(nets.records, nss.records), Math.min(netsUpTo, nssUpTo), limit, after));
                        }
                        // networks were quiet while namespaces went on: catch networks up to where namespaces are
                        return scan(NetworkEntity.TAG, netsUpTo, filter, limit, placements).thenApply(more -> {
                            long moreUpTo = more.truncated ? more.completeUpTo()
                                    : Math.max(more.completeUpTo(), nssUpTo);
                            return page(concat(concat(nets.records, more.records), nss.records),
                                    Math.min(moreUpTo, nssUpTo), limit, after);
                        });
                    }));
        }
        return page.exceptionally(err -> {
            throw asTyped(err);
        });
    }

    /**
     * The records up to {@code completeUpTo} in offset order, at most {@code limit} and about
     * {@link #PAGE_BUDGET_CHARS}; lastOffset is the last record's when the page is full, else how far it read.
     */
    static AuditPage page(List<AuditRecord> found, long completeUpTo, int limit, long after) {
        List<AuditRecord> sorted = found.stream().filter(r -> r.offset() <= completeUpTo)
                .sorted(Comparator.comparingLong(AuditRecord::offset)).toList();
        List<AuditRecord> out = new ArrayList<>();
        long chars = 0;
        for (AuditRecord r : sorted) {
            long size = size(r);
            if (out.size() >= limit || (!out.isEmpty() && chars + size > PAGE_BUDGET_CHARS)) {
                return new AuditPage(out, out.get(out.size() - 1).offset());
            }
            out.add(r);
            chars += size;
        }
        return new AuditPage(out, Math.max(completeUpTo, after));
    }

    private static long size(AuditRecord r) {
        return RECORD_OVERHEAD_CHARS + len(r.entityType()) + len(r.entityId()) + len(r.requestId())
                + len(r.origin()) + len(r.event()) + len(r.change());
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }

    /** What one tag's query found: matching records, and how far the tag is known to be complete. */
    private static final class Scan {
        final List<AuditRecord> records = new ArrayList<>();
        long maxRead;
        boolean truncated;

        Scan(long from) {
            this.maxRead = from;
        }

        /** Every matching record with offset in (from, completeUpTo] is in {@link #records}. */
        long completeUpTo() {
            return truncated ? records.get(records.size() - 1).offset() : maxRead;
        }
    }

    private record Item(long offset, AuditRecord record) {}

    /** The tag's events after {@code from} that match, stopping at the {@code limit}-th match. */
    private CompletionStage<Scan> scan(String tag, long from, Filter filter, int limit, Placements placements) {
        AtomicInteger matched = new AtomicInteger();
        Scan scan = new Scan(from);
        return journal().currentEventsByTag(tag, Offset.sequence(from))
                .mapAsync(1, env -> classify(env, filter, placements))
                .takeWhile(item -> item.record() == null ? matched.get() < limit : matched.getAndIncrement() < limit)
                .runWith(Sink.fold(scan, (s, item) -> {
                    s.maxRead = Math.max(s.maxRead, item.offset());
                    if (item.record() != null) {
                        s.records.add(item.record());
                    }
                    return s;
                }), system)
                .thenApply(s -> {
                    s.truncated = !s.records.isEmpty() && s.records.size() >= limit;
                    return s;
                });
    }

    private CompletionStage<Item> classify(EventEnvelope env, Filter filter, Placements placements) {
        long offset = ((Sequence) env.offset()).value();
        Object event = env.event();
        String pid = env.persistenceId();
        String entityId = entityId(pid);
        if (event instanceof NetworkEvent ne) {
            boolean match = filter.namespace() == null && (filter.network() == null || filter.network().equals(entityId))
                    && filter.inWindow(ne.audit().atMillis());
            return done(offset, match ? record(offset, env, "network", entityId, ne.audit(), event) : null);
        }
        if (event instanceof NetworkDirectory.PoolEvent pe) {
            boolean match = filter.namespace() == null && filter.network() == null && filter.inWindow(pe.audit().atMillis());
            return done(offset, match ? record(offset, env, "pool", pe.poolId(), pe.audit(), event) : null);
        }
        if (!(event instanceof NamespaceEvent ne)) {
            return done(offset, null);
        }
        boolean candidate = filter.namespaceMatches(entityId) && filter.inWindow(ne.audit().atMillis());
        if (filter.network() == null || !candidate) {
            placements.follow(pid, env.sequenceNr(), ne);
            return done(offset, candidate ? record(offset, env, "namespace", entityId, ne.audit(), event) : null);
        }
        if (ne instanceof InterfaceAdded added) {
            placements.follow(pid, env.sequenceNr(), ne);
            return done(offset, added.placed().network().equals(filter.network())
                    ? record(offset, env, "namespace", entityId, ne.audit(), event) : null);
        }
        if (ne instanceof InterfaceRemoved || ne instanceof NamespaceDeleted) {
            // whose interface it was: the namespace's state just before this event
            return placements.before(pid, env.sequenceNr()).thenApply(state -> {
                placements.remember(pid, env.sequenceNr(), state.apply(ne));
                boolean ofNetwork = ne instanceof InterfaceRemoved r
                        ? state.interfaces().containsKey(r.dstName())
                        && state.interfaces().get(r.dstName()).network().equals(filter.network())
                        : state.interfaces().values().stream().map(PlacedInterface::network)
                        .anyMatch(filter.network()::equals);
                return new Item(offset, ofNetwork ? record(offset, env, "namespace", entityId, ne.audit(), event) : null);
            });
        }
        placements.follow(pid, env.sequenceNr(), ne);
        return done(offset, null);
    }

    private static CompletionStage<Item> done(long offset, AuditRecord record) {
        return CompletableFuture.completedFuture(new Item(offset, record));
    }

    private static AuditRecord record(long offset, EventEnvelope env, String type, String entityId, Audit audit,
                                      Object event) {
        return new AuditRecord(offset, type, entityId, env.sequenceNr(), audit.atMillis(), audit.requestId(),
                audit.origin(), event.getClass().getSimpleName(), ChangeJson.of(event));
    }

    /** "Network|net1" to "net1", "Namespace|host:/path" to "host:/path". */
    static String entityId(String persistenceId) {
        return persistenceId.substring(persistenceId.indexOf(PersistenceId.DefaultSeparator()) + 1);
    }

    /**
     * Namespace states within one query, so that the network filter can tell whose interface an
     * InterfaceRemoved took: replayed from the journal on first need, then followed along the scan.
     */
    private final class Placements {
        private record Known(long sequenceNr, NamespaceState state) {}

        private final Map<String, Known> known = new ConcurrentHashMap<>();

        /** The state after event {@code sequenceNr - 1} of the namespace. */
        CompletionStage<NamespaceState> before(String pid, long sequenceNr) {
            Known k = known.get(pid);
            if (k != null && k.sequenceNr() == sequenceNr - 1) {
                return CompletableFuture.completedFuture(k.state());
            }
            boolean resume = k != null && k.sequenceNr() < sequenceNr - 1;
            NamespaceState from = resume ? k.state() : NamespaceState.EMPTY;
            long fromSeq = resume ? k.sequenceNr() + 1 : 1L;
            return journal().currentEventsByPersistenceId(pid, fromSeq, sequenceNr - 1)
                    .runFold(from, (s, env) -> s.apply((NamespaceEvent) env.event()), system);
        }

        void remember(String pid, long sequenceNr, NamespaceState state) {
            known.put(pid, new Known(sequenceNr, state));
        }

        /** Keeps a known state current (cheap); an unknown one stays unknown until needed. */
        void follow(String pid, long sequenceNr, NamespaceEvent event) {
            Known k = known.get(pid);
            if (k != null && k.sequenceNr() == sequenceNr - 1) {
                known.put(pid, new Known(sequenceNr, k.state().apply(event)));
            }
        }
    }

    private record Filter(String network, String namespace, Long since, Long until) {
        static Filter of(AuditQuery q) {
            return new Filter(blankToNull(q.network()), blankToNull(q.namespace()), q.sinceMillis(), q.untilMillis());
        }

        boolean inWindow(long atMillis) {
            return (since == null || atMillis >= since) && (until == null || atMillis <= until);
        }

        /** A path matches the namespace of that path on any host; "host:path" only that one. */
        boolean namespaceMatches(String entityId) {
            if (namespace == null) {
                return true;
            }
            if (namespace.startsWith("/")) {
                return NamespaceId.parse(entityId).path().equals(namespace);
            }
            return entityId.equals(namespace);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static List<AuditRecord> concat(List<AuditRecord> a, List<AuditRecord> b) {
        List<AuditRecord> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    // ---- the past --------------------------------------------------------------------------------------

    /**
     * Networks and namespaces as they were at {@code atMillis}. Each entity's events are folded in order
     * while their audit time is at or before the instant. {@code network} non-null: only that network,
     * and only the namespaces that held one of its interfaces then.
     */
    public CompletionStage<StateAt> stateAt(long atMillis, String network) {
        String net = blankToNull(network);
        JdbcReadJournal j = journal();
        Source<EventEnvelope, NotUsed> networkEvents = net == null
                ? j.currentEventsByTag(NetworkEntity.TAG, Offset.sequence(0L))
                : j.currentEventsByPersistenceId(PersistenceId.of(NetworkEntity.TYPE_KEY.name(), net).id(),
                0L, Long.MAX_VALUE);
        CompletionStage<Map<String, NetworkState>> networks = replay(networkEvents, atMillis, NetworkEvent.class,
                NetworkState.EMPTY, NetworkState::apply, NetworkEvent::audit);
        CompletionStage<Map<String, NamespaceState>> namespaces = networks.thenCompose(n -> replay(
                j.currentEventsByTag(NamespaceEntity.TAG, Offset.sequence(0L)), atMillis, NamespaceEvent.class,
                NamespaceState.EMPTY, NamespaceState::apply, NamespaceEvent::audit));
        return networks.thenCombine(namespaces, (nets, nss) -> {
            List<NetworkInfo> netInfos = nets.values().stream().filter(NetworkState::exists)
                    .map(NetworkState::info).toList();
            List<NamespaceInfo> nsInfos = nss.values().stream().filter(NamespaceState::exists)
                    .filter(s -> net == null || s.interfaces().values().stream()
                            .anyMatch(p -> net.equals(p.network())))
                    .map(NamespaceState::info).toList();
            return new StateAt(atMillis, netInfos, nsInfos);
        }).exceptionally(err -> {
            throw asTyped(err);
        });
    }

    /** Each entity's state after its events up to the instant, by entity id (sorted). */
    private <E, S> CompletionStage<Map<String, S>> replay(Source<EventEnvelope, NotUsed> events, long atMillis,
                                                          Class<E> type, S empty, BiFunction<S, E, S> apply,
                                                          Function<E, Audit> audit) {
        Map<String, S> states = new TreeMap<>();
        Set<String> past = new HashSet<>();
        return events.runWith(Sink.fold(states, (acc, env) -> {
            String id = entityId(env.persistenceId());
            if (!type.isInstance(env.event()) || past.contains(id)) {
                return acc;
            }
            E event = type.cast(env.event());
            if (audit.apply(event).atMillis() > atMillis) {
                past.add(id); // a prefix of the entity's history: later events are later still
                return acc;
            }
            acc.put(id, apply.apply(acc.getOrDefault(id, empty), event));
            return acc;
        }), system);
    }

    private static CompletionException asTyped(Throwable err) {
        Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (t instanceof NetkeeperException) {
            return new CompletionException(t);
        }
        return new CompletionException(new NetkeeperException(ErrorCode.JOURNAL, "reading the journal: " + t));
    }
}
