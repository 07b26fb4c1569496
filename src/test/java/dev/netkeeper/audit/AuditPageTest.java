package dev.netkeeper.audit;

import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.AuditPage;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a page is cut from what the tag queries found. */
class AuditPageTest {
    static AuditRecord record(long offset, int changeChars) {
        return new AuditRecord(offset, "network", "n1", offset, 1000 + offset, "req-" + offset, "local", "EndpointAllocated",
                "x".repeat(changeChars));
    }

    @Test
    void sortedByOffsetUpToWhereTheQueriesAreComplete() {
        List<AuditRecord> found = new ArrayList<>(List.of(record(7, 10), record(3, 10), record(9, 10), record(5, 10)));
        Collections.shuffle(found);
        AuditPage page = AuditService.page(found, 8, 100, 2);
        assertEquals(List.of(3L, 5L, 7L), page.records().stream().map(AuditRecord::offset).toList());
        assertEquals(8, page.lastOffset(), "not full: as far as it is known complete, not further");
    }

    @Test
    void fullPageEndsAtItsLastRecord() {
        AuditPage page = AuditService.page(List.of(record(3, 10), record(5, 10), record(7, 10)), 20, 2, 0);
        assertEquals(List.of(3L, 5L), page.records().stream().map(AuditRecord::offset).toList());
        assertEquals(5, page.lastOffset());
    }

    @Test
    void emptyPageKeepsItsPlace() {
        assertEquals(new AuditPage(List.of(), 42), AuditService.page(List.of(), 42, 10, 42));
        assertEquals(new AuditPage(List.of(), 42), AuditService.page(List.of(), 40, 10, 42));
    }

    @Test
    void aPageFitsOneRemoteMessage() {
        List<AuditRecord> found = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            found.add(record(i, 1000));
        }
        AuditPage page = AuditService.page(found, 1000, 1000, 0);
        assertTrue(page.records().size() < 1000 && page.records().size() > 50, "cut by size: " + page.records().size());
        assertEquals(page.records().get(page.records().size() - 1).offset(), page.lastOffset());
        // a record larger than the budget still goes, alone
        AuditPage huge = AuditService.page(List.of(record(1, AuditService.PAGE_BUDGET_CHARS * 2), record(2, 1)), 2, 10, 0);
        assertEquals(1, huge.records().size());
        assertEquals(1, huge.lastOffset());
    }
}
