package dev.netkeeper.network.driver;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bridge.max-ports: endpoints per bridge before the network grows, 1 to 1,000; absent, 1,000 and not listed. */
class BridgeOptionsTest {
    private final BridgeDriver driver = new BridgeDriver();

    @Test
    void maxPortsIsOneToAThousand() {
        assertEquals(Map.of("bridge.name", "br-x"), driver.resolveOptions("n", Map.of("bridge.name", "br-x")));
        assertEquals("250", driver.resolveOptions("n", Map.of("bridge.max-ports", "0250")).get("bridge.max-ports"));
        for (String bad : new String[] {"0", "1001", "x", "-1", "99999"}) {
            NetkeeperException e = assertThrows(NetkeeperException.class,
                    () -> driver.resolveOptions("n", Map.of("bridge.max-ports", bad)), bad);
            assertEquals(ErrorCode.INVALID_OPTION, e.code());
            assertTrue(e.getMessage().contains("bridge.max-ports"), e.getMessage());
        }
    }
}
