package dev.netkeeper.api;


/**
 * One journaled change.
 *
 * @param offset     the event's place in the journal (global ordering: strictly increasing)
 * @param entityType "network" or "namespace"
 * @param entityId   the network name, or the namespace's "host:path"
 * @param sequenceNr the event's number within its entity (1, 2, ...)
 * @param atMillis   when it was journaled, epoch millis UTC (from the event's audit)
 * @param requestId  the request that caused it ("agent:..." for changes the agent made on its own)
 * @param origin     who asked, as its door proved it ("unix:USER", "tls:CN=NAME"; then " as DECLARED" when
 *                   the caller declared more), or "agent"
 * @param event      the event's simple class name, e.g. "EndpointAllocated"
 * @param change     the event as compact JSON without its audit field: what changed
 */
public record AuditRecord(long offset, String entityType, String entityId, long sequenceNr, long atMillis,
                          String requestId, String origin, String event, String change) {}
