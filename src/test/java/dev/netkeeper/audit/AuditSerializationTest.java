package dev.netkeeper.audit;

import dev.netkeeper.api.AuditRecord;
import dev.netkeeper.api.AuditPage;
import dev.netkeeper.testing.SerializationTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit page as it travels over Artery (its round trip is in api.SerializationRoundTripTest, with every
 * other message): a page cut by size fits one frame.
 */
class AuditSerializationTest {
    static ActorTestKit testKit;
    static Serialization serialization;

    @BeforeAll
    static void start() {
        testKit = SerializationTestKit.start("AuditSerializationTest");
        serialization = SerializationTestKit.serialization(testKit);
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
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
}
