package dev.netkeeper.api;


import java.util.List;

/**
 * A page of audit records, ordered by offset (journal order).
 *
 * @param lastOffset where the next page starts: pass it as the next query's afterOffset. At least the query's
 *                   afterOffset; past the last record, and past journal entries that were read and did not
 *                   match, so that polling with it (follow) reads only what is new.
 */
public record AuditPage(List<AuditRecord> records, long lastOffset) implements Reply {
    public AuditPage {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
