package dev.netkeeper.api;


/**
 * Which journaled changes to read. Filters: null = any.
 *
 * @param network     only changes of this network: its own events, plus the namespace events that add or
 *                    remove one of its interfaces (InterfaceAdded of it; InterfaceRemoved / NamespaceDeleted
 *                    of a namespace that held one of its interfaces)
 * @param namespace   only the events of this namespace: a path (any host) or "host:path"
 * @param sinceMillis only changes at or after this instant (epoch millis UTC, inclusive)
 * @param untilMillis only changes at or before this instant (epoch millis UTC, inclusive)
 * @param afterOffset only records with offset &gt; it (0 = from the start); pass a page's lastOffset to go on
 * @param limit       at most this many records (&lt;= 0: 1000). A page may hold fewer even when more follow
 *                    (a reply must fit one remote message): read on until a page is empty.
 */
public record AuditQuery(String network, String namespace, Long sinceMillis, Long untilMillis, long afterOffset,
                         int limit) {

    /** Every change, from the start, one default page. */
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, 0L, 0);
    }

    /** The same query for the next page (or, with {@code --follow}, the next poll). */
    public AuditQuery withAfterOffset(long offset) {
        return new AuditQuery(network, namespace, sinceMillis, untilMillis, offset, limit);
    }
}
