package dev.netkeeper.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netkeeper.api.Audit;
import dev.netkeeper.namespace.NamespaceEvent;
import dev.netkeeper.network.Endpoint;
import dev.netkeeper.network.NetworkEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "change" of an audit record: the event as compact JSON, without its audit. */
class ChangeJsonTest {
    static final Audit AUDIT = new Audit("req-42", 1_700_000_000_123L, "pekko://peer@10.0.0.9:25520 as alice");

    @Test
    void endpointAllocatedShowsTheEndpointWithoutTheAudit() throws Exception {
        Endpoint ep = new Endpoint("c1", "veth1a2b3c4", "ceth1a2b3c4", "02:42:0a:58:00:02", "10.88.0.2/24",
                null, null, null);
        String json = ChangeJson.of(new NetworkEvent.EndpointAllocated(ep, AUDIT));

        assertEquals("{\"endpoint\":{\"name\":\"c1\",\"hostVeth\":\"veth1a2b3c4\",\"srcName\":\"ceth1a2b3c4\","
                + "\"macAddress\":\"02:42:0a:58:00:02\",\"address\":\"10.88.0.2/24\"}}", json);
        assertFalse(json.contains("audit"));
        assertFalse(json.contains("req-42"));
        assertFalse(json.contains("alice"));
        assertFalse(json.contains(" "), "compact");
        assertFalse(json.contains("\n"), "compact");

        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals(List.of("endpoint"), fieldNames(tree));
        assertEquals("c1", tree.path("endpoint").path("name").asText());
        assertEquals("10.88.0.2/24", tree.path("endpoint").path("address").asText());
    }

    @Test
    void otherEvents() {
        assertEquals("{}", ChangeJson.of(new NetworkEvent.NetworkDeleted(AUDIT)));
        assertEquals("{\"endpoint\":\"c2\",\"reason\":\"unlink\"}",
                ChangeJson.of(new NetworkEvent.EndpointReleased("c2", "unlink", AUDIT)));
        assertEquals("{\"dstName\":\"eth0\",\"reason\":\"endpoint unlinked\"}",
                ChangeJson.of(new NamespaceEvent.InterfaceRemoved("eth0", "endpoint unlinked", AUDIT)));
        assertTrue(ChangeJson.of(new NamespaceEvent.NamespaceCreated("h1", "/var/run/netns/a", AUDIT))
                .contains("\"path\":\"/var/run/netns/a\""));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
