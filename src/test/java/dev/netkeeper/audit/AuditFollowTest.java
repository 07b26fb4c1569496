package dev.netkeeper.audit;

import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Following the trail (polling with afterOffset = lastOffset, as {@code audit --follow} does) while networks
 * and namespaces change at the same time: every record arrives once, in journal order, none skipped.
 */
class AuditFollowTest {
    static TestAgent agent;
    static NetkeeperClient client;

    @BeforeAll
    static void start() {
        agent = TestAgent.start("audfollow");
        client = agent.client();
    }

    @AfterAll
    static void stop() {
        agent.close();
    }

    @Test
    void aFollowerSeesEveryChangeOnceWhileBothKindsOfEntityChange() throws Exception {
        Network none = client.newNetwork("null", "fnull", NetworkOptions.defaults());
        Network bridge = client.newNetwork("bridge", "fbridge", NetworkOptions.builder().subnet("10.78.0.0/24").build());
        List<AuditRecord> followed = new ArrayList<>();
        List<AuditRecord> followedBridge = new ArrayList<>();
        long[] last = {0L, 0L};

        // networks and namespaces journal at once, for as long as the namespaces take
        CompletableFuture<Void> namespaces = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 6; i++) {
                Namespace ns = client.newNetworkNamespace(TestAgent.namespacePath("fol" + i));
                ns.addInterface(bridge.link("b" + i).get(0));
                ns.delete();
            }
        });
        int[] linked = {0};
        CompletableFuture<Void> links = CompletableFuture.runAsync(() -> {
            while (!namespaces.isDone() || linked[0] < 30) {
                none.link("e" + linked[0]++);
                pause(5);
            }
        });
        CompletableFuture<Void> writers = CompletableFuture.allOf(links, namespaces);
        long writing = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!writers.isDone() && System.nanoTime() < writing) {
            poll(new AuditQuery(null, null, null, null, last[0], 0), followed, last, 0);
            poll(new AuditQuery("fbridge", null, null, null, last[1], 2), followedBridge, last, 1);
        }
        writers.get(60, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        // 2 creates, the links, per namespace: link, created, placed, added, deleted, unplaced
        int expected = 2 + linked[0] + 6 * 6;
        while (followed.size() < expected) {
            if (System.nanoTime() > deadline) {
                fail("followed only " + followed.size() + " of " + expected + ":" + AuditTest.describe(followed));
            }
            poll(new AuditQuery(null, null, null, null, last[0], 0), followed, last, 0);
            Thread.sleep(20);
        }
        while (poll(new AuditQuery("fbridge", null, null, null, last[1], 2), followedBridge, last, 1) > 0) {
            // drain
        }

        List<AuditRecord> everything = readAll(AuditQuery.all());
        assertEquals(expected, everything.size(), () -> AuditTest.describe(everything));
        assertEquals(everything, followed, "the follower saw exactly the trail, in order");
        assertEquals(readAll(new AuditQuery("fbridge", null, null, null, 0, 0)), followedBridge);
        assertTrue(followedBridge.stream().anyMatch(r -> r.event().equals("NamespaceDeleted")),
                "a namespace deleted holding an interface of the network belongs to its trail");
    }

    /** Every matching record, page after page. */
    static List<AuditRecord> readAll(AuditQuery first) {
        List<AuditRecord> out = new ArrayList<>();
        AuditPage page = client.audit(first);
        while (!page.records().isEmpty()) {
            out.addAll(page.records());
            page = client.audit(first.withAfterOffset(page.lastOffset()));
        }
        return out;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int poll(AuditQuery q, List<AuditRecord> into, long[] last, int i) {
        AuditPage page = client.audit(q);
        assertTrue(page.lastOffset() >= q.afterOffset());
        for (AuditRecord r : page.records()) {
            assertTrue(r.offset() > last[i], "no record twice, none out of order");
            into.add(r);
            last[i] = r.offset();
        }
        last[i] = page.lastOffset();
        return page.records().size();
    }
}
