package dev.netkeeper.audit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.netkeeper.api.EndpointInfo;
import dev.netkeeper.api.Interface;
import dev.netkeeper.api.NamespaceInfo;
import dev.netkeeper.api.NetworkInfo;
import dev.netkeeper.cluster.Gateway;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit API's messages travel over Artery as Jackson CBOR and come back equal. */
class AuditSerializationTest {
    static ActorTestKit testKit;
    static Serialization serialization;

    @BeforeAll
    static void start() {
        Config config = ConfigFactory.parseString("pekko.actor.provider = local\n"
                        + "pekko.remote.artery.canonical.port = 0")
                .withFallback(ConfigFactory.parseResources("application.conf"))
                .withFallback(ConfigFactory.defaultReference())
                .resolve();
        testKit = ActorTestKit.create("AuditSerializationTest", config);
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    static final Interface IFACE = new Interface("ceth1a2b3c4", "eth0", "02:42:0a:58:00:02", "10.88.0.2/24",
            null, "10.88.0.1", null, 1500);
    static final AuditRecord RECORD = new AuditRecord(17, "network", "net1", 3, 1_700_000_000_123L, "req-1",
            "pekko://netkeeper-client@127.0.0.1:40001 as alice", "EndpointAllocated",
            "{\"endpoint\":{\"name\":\"c1\",\"address\":\"10.88.0.2/24\"}}");
    static final StateAt STATE = new StateAt(1_700_000_000_500L,
            List.of(new NetworkInfo("net1", "bridge", "10.88.0.0/24", "10.88.0.1", null, null, 1500, false,
                    Map.of("bridge.name", "nk-0badcafe"),
                    List.of(new EndpointInfo("c1", List.of(IFACE), "h1:/var/run/netns/a")))),
            List.of(new NamespaceInfo("h1", "/var/run/netns/a", List.of(IFACE))));

    static List<Object> samples() {
        return List.of(
                AuditQuery.all(),
                new AuditQuery("net1", "h1:/var/run/netns/a", 1L, 2L, 42L, 10),
                RECORD,
                new AuditPage(List.of(RECORD), 17),
                new AuditPage(List.of(), 0),
                STATE,
                new StateAt(0, List.of(), List.of()),
                new Gateway.QueryAudit(new AuditQuery(null, "/var/run/netns/a", null, 5L, 0, 0),
                        testKit.<org.apache.pekko.pattern.StatusReply<AuditPage>>createTestProbe().ref()),
                new Gateway.QueryStateAt(123L, null,
                        testKit.<org.apache.pekko.pattern.StatusReply<StateAt>>createTestProbe().ref()),
                new Gateway.QueryStateAt(123L, "net1",
                        testKit.<org.apache.pekko.pattern.StatusReply<StateAt>>createTestProbe().ref()));
    }

    /** A full page, cut by size, fits Artery's default maximum-frame-size (256 KiB) with room to spare. */
    @Test
    void aFullPageFitsOneArteryFrame() throws Exception {
        List<AuditRecord> found = new java.util.ArrayList<>();
        for (int i = 1; i <= 5000; i++) {
            found.add(new AuditRecord(i, "network", "a-network-with-a-long-name-" + i, i, 1_700_000_000_000L + i,
                    java.util.UUID.randomUUID().toString(), "pekko://netkeeper-client@127.0.0.1:40001 as alice",
                    "EndpointAllocated", "{\"endpoint\":{\"name\":\"container-" + i + "\",\"hostVeth\":\"veth1a2b3c4\","
                    + "\"srcName\":\"ceth1a2b3c4\",\"macAddress\":\"02:42:0a:58:00:02\",\"address\":\"10.88.0.2/24\"}}"));
        }
        AuditPage page = AuditService.page(found, 5000, 5000, 0);
        byte[] bytes = serialization.serialize(page).get();
        assertTrue(page.records().size() > 100, "records: " + page.records().size());
        assertTrue(bytes.length < 200 * 1024, bytes.length + " bytes for " + page.records().size() + " records");
    }

    @Test
    void roundTripThroughJacksonCbor() throws Exception {
        for (Object original : samples()) {
            Serializer serializer = serialization.serializerFor(original.getClass());
            assertInstanceOf(JacksonCborSerializer.class, serializer, original.getClass().getName());
            byte[] bytes = serialization.serialize(original).get();
            Object copy = serialization.deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, original)).get();
            assertEquals(original, copy);
        }
    }
}
