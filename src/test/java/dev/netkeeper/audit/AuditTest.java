package dev.netkeeper.audit;

import dev.netkeeper.api.StateAt;
import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.AuditQuery;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.client.ClientSettings;
import dev.netkeeper.client.Namespace;
import dev.netkeeper.client.NetkeeperClient;
import dev.netkeeper.client.Network;
import dev.netkeeper.namespace.NamespaceEntity;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The audit trail and state-at of one scripted history, read back through the client: create a network,
 * link three endpoints (the third from a second, remote client), unlink one, create a namespace, add an
 * interface, delete the network with force. The agent's host is a throwaway namespace.
 */
class AuditTest {
    static final String NET = "audnet";
    static final String SUBNET = "10.77.0.0/24";
    /** Every event of the history, in journal order (the last one the agent's own: the forced delete's forget). */
    static final List<String> HISTORY = List.of("NetworkCreated", "EndpointAllocated", "EndpointAllocated",
            "EndpointAllocated", "EndpointReleased", "NamespaceCreated", "EndpointPlaced", "InterfaceAdded",
            "NetworkDeleted", "InterfaceRemoved");

    static TestAgent agent;
    static NetkeeperClient client;
    static NetkeeperClient remote;
    static String nsPath;
    static String nsId;
    /** Instants: before anything, after the links, after unlink + add-interface, after the delete. */
    static long t0, t1, t2, t3;
    /** What the entities answered at t1 and t2, to compare with the replay. */
    static NetworkInfo netAt1, netAt2;
    static NamespaceInfo nsAt2;
    static Interface c1, c2, c3;
    static List<AuditRecord> all;

    @BeforeAll
    static void script() throws Exception {
        agent = TestAgent.start("audit");
        client = agent.client();
        remote = NetkeeperClient.connect(agent.apiAddress(),
                ClientSettings.defaults().withTimeout(Duration.ofSeconds(15)).withPrincipal("audit-test")
                        .withCredentials(agent.clientCredentials("auditor")));

        t0 = instant();
        Network net = client.newNetwork("bridge", NET, NetworkOptions.builder().subnet(SUBNET).build());
        c1 = net.link("c1").get(0);
        c2 = net.link("c2").get(0);
        c3 = remote.network(NET).link("c3").get(0); // from another ActorSystem, over Artery
        netAt1 = client.networkInfo(NET);
        t1 = instant();

        net.unlink("c2");
        nsPath = TestAgent.namespacePath("aud");
        nsId = NamespaceEntity.entityId(client.host(), nsPath);
        Namespace ns = client.newNetworkNamespace(nsPath);
        ns.addInterface(c1);
        netAt2 = client.networkInfo(NET);
        nsAt2 = ns.info();
        t2 = instant();

        net.delete(true);
        // the namespace forgets the interface on its own after the delete: wait for it in the trail
        all = awaitRecords(AuditQuery.all(), HISTORY.size());
        t3 = instant();
    }

    @AfterAll
    static void stop() {
        try {
            if (remote != null) {
                remote.close();
            }
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    // ---- the whole trail -------------------------------------------------------------------------------

    @Test
    void everyChangeOnceInJournalOrderWithWhoAndWhen() {
        assertEquals(HISTORY, all.stream().map(AuditRecord::event).toList(), () -> describe(all));
        assertEquals(Set.of(NET, nsId), all.stream().map(AuditRecord::entityId).collect(Collectors.toSet()));
        // nothing appears later either
        assertEquals(all, client.audit(AuditQuery.all()).records());

        Map<String, Long> lastSeq = new HashMap<>();
        long lastOffset = 0;
        long lastAt = 0;
        for (AuditRecord r : all) {
            assertTrue(r.offset() > lastOffset, () -> "offsets strictly increase: " + describe(all));
            assertEquals(lastSeq.getOrDefault(r.entityId(), 0L) + 1, r.sequenceNr(), () -> "sequenceNr of " + r);
            assertTrue(r.atMillis() >= lastAt, () -> "time does not go back: " + describe(all));
            assertTrue(r.atMillis() >= t0 && r.atMillis() <= t3, () -> "time within the script: " + r);
            assertEquals(r.entityId().equals(NET) ? "network" : "namespace", r.entityType());
            assertNotNull(r.requestId());
            assertFalse(r.requestId().isEmpty());
            assertNotNull(r.origin());
            assertFalse(r.change().contains("\"audit\""), r.change());
            lastOffset = r.offset();
            lastSeq.put(r.entityId(), r.sequenceNr());
            lastAt = r.atMillis();
        }

        String local = agent.node().system().address().toString();
        List<AuditRecord> byClient = all.subList(0, all.size() - 1);
        AuditRecord byRemote = all.get(3);
        for (AuditRecord r : byClient) {
            assertFalse(r.requestId().startsWith("agent:"), r::toString);
            if (r != byRemote) {
                assertTrue(r.origin().contains(local), () -> "origin names the client's system: " + r);
            }
        }
        assertTrue(byRemote.change().contains("\"c3\""), byRemote::toString);
        // what its credentials proved at the door, then what it declared
        assertEquals("tls:CN=auditor as audit-test", byRemote.origin(), byRemote::toString);

        // one request id per call; the add-interface call shows on both entities under one id
        AuditRecord placed = all.get(6);
        AuditRecord added = all.get(7);
        assertEquals(placed.requestId(), added.requestId());
        Set<String> ids = new HashSet<>();
        for (AuditRecord r : byClient) {
            if (r != added && r != all.get(9)) {
                assertTrue(ids.add(r.requestId()), () -> "request id used twice: " + describe(all));
            }
        }
        // the forced delete made the namespace drop the interface: recorded under the delete's own
        // request id and origin, so the trail says who caused it
        AuditRecord forgotten = all.get(9);
        assertEquals(nsId, forgotten.entityId());
        assertEquals(all.get(8).requestId(), forgotten.requestId(), forgotten::toString);
        assertEquals(all.get(8).origin(), forgotten.origin(), forgotten::toString);
        assertTrue(forgotten.change().contains("\"eth0\""), forgotten::toString);

        // what changed: the endpoint and its address
        AuditRecord linkC1 = all.get(1);
        assertTrue(linkC1.change().contains("\"name\":\"c1\""), linkC1::toString);
        assertTrue(linkC1.change().contains("\"address\":\"10.77.0.2/24\""), linkC1::toString);
        assertTrue(all.get(4).change().contains("\"endpoint\":\"c2\""), all.get(4)::toString);
    }

    @Test
    void theRemoteClientReadsTheSameTrailAndState() {
        assertEquals(all, remote.audit(AuditQuery.all()).records());
        assertEquals(client.stateAt(t2, null), remote.stateAt(t2, null));
    }

    // ---- filters ---------------------------------------------------------------------------------------

    @Test
    void networkFilterGivesItsEventsAndTheNamespaceEventsOfItsInterfaces() {
        List<AuditRecord> got = client.audit(new AuditQuery(NET, null, null, null, 0, 0)).records();
        assertEquals(all.stream().filter(r -> r.entityId().equals(NET)
                || r.event().equals("InterfaceAdded") || r.event().equals("InterfaceRemoved")).toList(), got);
        assertEquals(List.of("NetworkCreated", "EndpointAllocated", "EndpointAllocated", "EndpointAllocated",
                "EndpointReleased", "EndpointPlaced", "InterfaceAdded", "NetworkDeleted", "InterfaceRemoved"),
                got.stream().map(AuditRecord::event).toList());
        assertEquals(List.of(), client.audit(new AuditQuery("othernet", null, null, null, 0, 0)).records());
    }

    @Test
    void namespaceFilterByPathOrHostAndPath() {
        List<AuditRecord> expected = all.stream().filter(r -> r.entityId().equals(nsId)).toList();
        assertEquals(List.of("NamespaceCreated", "InterfaceAdded", "InterfaceRemoved"),
                expected.stream().map(AuditRecord::event).toList());
        assertEquals(expected, client.audit(new AuditQuery(null, nsPath, null, null, 0, 0)).records());
        assertEquals(expected, client.audit(new AuditQuery(null, nsId, null, null, 0, 0)).records());
        assertEquals(List.of(), client.audit(new AuditQuery(null, "other-host:" + nsPath, null, null, 0, 0)).records());
        assertEquals(List.of(), client.audit(new AuditQuery(null, nsPath + "x", null, null, 0, 0)).records());
        // both filters: the namespace's events of that network's interfaces
        assertEquals(List.of("InterfaceAdded", "InterfaceRemoved"), client.audit(new AuditQuery(NET, nsPath,
                null, null, 0, 0)).records().stream().map(AuditRecord::event).toList());
    }

    @Test
    void sinceAndUntilWindowsAreInclusive() {
        assertEquals(List.of("EndpointReleased", "NamespaceCreated", "EndpointPlaced", "InterfaceAdded"),
                events(new AuditQuery(null, null, t1, t2, 0, 0)));
        assertEquals(List.of("NetworkCreated", "EndpointAllocated", "EndpointAllocated", "EndpointAllocated"),
                events(new AuditQuery(null, null, null, t1, 0, 0)));
        assertEquals(List.of("NetworkDeleted", "InterfaceRemoved"), events(new AuditQuery(null, null, t2, null, 0, 0)));
        assertEquals(List.of("EndpointReleased", "EndpointPlaced", "InterfaceAdded"),
                events(new AuditQuery(NET, null, t1, t2, 0, 0)));

        // inclusive at both ends: a window of exactly one record's instant holds it
        AuditRecord released = all.get(4);
        List<AuditRecord> exact = client.audit(new AuditQuery(null, null, released.atMillis(), released.atMillis(),
                0, 0)).records();
        assertTrue(exact.contains(released), () -> describe(exact));
        assertTrue(exact.stream().allMatch(r -> r.atMillis() == released.atMillis()));
        assertEquals(List.of(), client.audit(new AuditQuery(null, null, t3 + 1, null, 0, 0)).records());
    }

    @Test
    void pagingWithAfterOffsetWalksTheSameList() {
        assertEquals(all, walk(new AuditQuery(null, null, null, null, 0, 2), 2));
        assertEquals(client.audit(new AuditQuery(NET, null, null, null, 0, 0)).records(),
                walk(new AuditQuery(NET, null, null, null, 0, 2), 2));
        assertEquals(client.audit(new AuditQuery(null, nsPath, null, null, 0, 0)).records(),
                walk(new AuditQuery(null, nsPath, null, null, 0, 1), 1));

        // a page from the middle: strictly after the offset given
        AuditPage rest = client.audit(AuditQuery.all().withAfterOffset(all.get(4).offset()));
        assertEquals(all.subList(5, all.size()), rest.records());
        assertEquals(all.get(all.size() - 1).offset(), rest.lastOffset());

        // follow: polling from the last offset finds nothing new and keeps its place
        AuditPage none = client.audit(AuditQuery.all().withAfterOffset(rest.lastOffset()));
        assertEquals(List.of(), none.records());
        assertTrue(none.lastOffset() >= rest.lastOffset());
        AuditPage filteredNone = client.audit(new AuditQuery(null, nsPath, null, null, rest.lastOffset(), 0));
        assertEquals(List.of(), filteredNone.records());
    }

    @Test
    void sinceAfterUntilIsRefused() {
        NetkeeperException e = assertThrows(NetkeeperException.class,
                () -> client.audit(new AuditQuery(null, null, 10L, 5L, 0, 0)));
        assertEquals(ErrorCode.INVALID_OPTION, e.code());
    }

    // ---- state at an instant ---------------------------------------------------------------------------

    @Test
    void stateAfterTheLinks() {
        StateAt s = client.stateAt(t1, null);
        assertEquals(t1, s.atMillis());
        assertEquals(1, s.networks().size());
        NetworkInfo n = s.networks().get(0);
        assertEquals(netAt1, n, "the replay equals what the entity answered then");
        assertEquals(NET, n.name());
        assertEquals(SUBNET, n.subnet());
        assertEquals(List.of("c1", "c2", "c3"), n.endpoints().stream().map(EndpointInfo::name).toList());
        assertEquals(List.of("10.77.0.2/24", "10.77.0.3/24", "10.77.0.4/24"), addresses(n));
        assertEquals(List.of(c1, c2, c3), n.endpoints().stream().map(e -> e.interfaces().get(0)).toList());
        assertTrue(n.endpoints().stream().allMatch(e -> e.namespace() == null));
        assertEquals(List.of(), s.namespaces(), "no namespace yet");
        assertEquals(s, client.stateAt(t1, NET));
    }

    @Test
    void stateAfterTheUnlinkAndTheAddInterface() {
        StateAt s = client.stateAt(t2, null);
        NetworkInfo n = s.networks().get(0);
        assertEquals(1, s.networks().size());
        assertEquals(netAt2, n, "the replay equals what the entity answered then");
        assertEquals(List.of("c1", "c3"), n.endpoints().stream().map(EndpointInfo::name).toList());
        assertEquals(List.of("10.77.0.2/24", "10.77.0.4/24"), addresses(n));
        assertEquals(nsId, n.endpoints().get(0).namespace(), "c1 placed in the namespace");
        assertNull(n.endpoints().get(1).namespace());

        assertEquals(List.of(nsAt2), s.namespaces());
        NamespaceInfo ns = s.namespaces().get(0);
        assertEquals(nsPath, ns.path());
        assertEquals(1, ns.interfaces().size());
        Interface eth0 = ns.interfaces().get(0);
        assertEquals("eth0", eth0.dstName());
        assertEquals(c1.srcName(), eth0.srcName());
        assertEquals("10.77.0.2/24", eth0.address());
        assertEquals(c1.macAddress(), eth0.macAddress());

        assertEquals(s, client.stateAt(t2, NET), "the namespace holds an interface of the network");
        StateAt other = client.stateAt(t2, "othernet");
        assertEquals(List.of(), other.networks());
        assertEquals(List.of(), other.namespaces());
    }

    @Test
    void stateAfterTheDeleteAndBeforeAnything() {
        StateAt s = client.stateAt(t3, null);
        assertEquals(List.of(), s.networks(), "no network after the delete");
        assertEquals(List.of(new NamespaceInfo(client.host(), nsPath, List.of())), s.namespaces(),
                "the namespace remains, without the interface");
        StateAt filtered = client.stateAt(t3, NET);
        assertEquals(List.of(), filtered.networks());
        assertEquals(List.of(), filtered.namespaces());

        StateAt before = client.stateAt(t0, null);
        assertEquals(List.of(), before.networks());
        assertEquals(List.of(), before.namespaces());
        assertNotEquals(client.stateAt(t1, null), client.stateAt(t2, null));
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A few ms apart from whatever happens before and after: no event shares the instant. */
    static long instant() throws InterruptedException {
        Thread.sleep(5);
        long t = System.currentTimeMillis();
        Thread.sleep(5);
        return t;
    }

    /** The read journal lags (refresh-interval): polls until {@code count} records, for at most 15 s. */
    static List<AuditRecord> awaitRecords(AuditQuery query, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<AuditRecord> got = client.audit(query).records();
        while (got.size() < count) {
            if (System.nanoTime() > deadline) {
                fail("expected " + count + " audit records, got " + describe(got));
            }
            Thread.sleep(50);
            got = client.audit(query).records();
        }
        return got;
    }

    static List<AuditRecord> walk(AuditQuery first, int limit) {
        List<AuditRecord> out = new ArrayList<>();
        AuditQuery q = first;
        for (int pages = 0; pages < 100; pages++) {
            AuditPage page = client.audit(q);
            assertTrue(page.records().size() <= limit, () -> "page larger than the limit: " + page);
            assertTrue(page.lastOffset() >= q.afterOffset());
            if (page.records().isEmpty()) {
                return out;
            }
            assertTrue(page.records().get(0).offset() > q.afterOffset());
            assertEquals(page.records().get(page.records().size() - 1).offset(), page.lastOffset());
            out.addAll(page.records());
            q = q.withAfterOffset(page.lastOffset());
        }
        return fail("paging did not end");
    }

    static List<String> events(AuditQuery q) {
        return client.audit(q).records().stream().map(AuditRecord::event).toList();
    }

    static List<String> addresses(NetworkInfo n) {
        return n.endpoints().stream().map(e -> e.interfaces().get(0).address()).toList();
    }

    static String describe(List<AuditRecord> records) {
        StringBuilder b = new StringBuilder();
        for (AuditRecord r : records) {
            b.append("\n  ").append(r.offset()).append(' ').append(r.entityId()).append('#').append(r.sequenceNr())
                    .append(' ').append(r.event()).append(" at ").append(r.atMillis()).append(" by ")
                    .append(r.origin()).append(' ').append(r.change());
        }
        return b.toString();
    }
}
