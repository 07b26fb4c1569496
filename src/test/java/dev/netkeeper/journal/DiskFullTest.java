package dev.netkeeper.journal;

import dev.netkeeper.api.ErrorCode;
import dev.netkeeper.api.NetkeeperException;
import dev.netkeeper.api.NetworkOptions;
import dev.netkeeper.api.Readiness;
import dev.netkeeper.client.Network;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.TestAgent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data directory's file system fills up (a small tmpfs the test mounts, filled by the test): changing commands
 * are refused with JOURNAL, at once after the first, never a restart loop or a time-out for every caller; nothing
 * half-done is left (the network has no endpoint the journal lacks); the readiness says why; once space is freed
 * the agent takes commands again without a restart.
 */
class DiskFullTest {
    @Test
    void aFullDiskIsRefusedTypedAndFreedSpaceIsUsedWithoutARestart() throws Exception {
        Path dir = Files.createTempDirectory("nk-diskfull-");
        IpOracle.Result mounted = IpOracle.run("mount", "-t", "tmpfs", "-o", "size=24m,mode=0700", "nk-diskfull", dir.toString());
        assertEquals(0, mounted.exitCode(), mounted.stderr());
        try (TestAgent agent = TestAgent.startIn("diskfull", dir)) {
            Network net = agent.client().newNetwork("null", "full", NetworkOptions.builder().build());
            net.link("before");

            Path filler = dir.resolve("filler");
            fill(filler);
            NetkeeperException first = assertThrows(NetkeeperException.class, () -> net.link("during-1"));
            assertEquals(ErrorCode.JOURNAL, first.code(), first.toString());
            for (int i = 2; i <= 4; i++) {
                String name = "during-" + i;
                long t0 = System.nanoTime();
                NetkeeperException again = assertThrows(NetkeeperException.class, () -> net.link(name));
                assertEquals(ErrorCode.JOURNAL, again.code(), again.toString());
                assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000, "refused at once, not after a time-out");
            }
            Readiness ready = agent.node().readiness().toCompletableFuture().get();
            assertTrue(!ready.ready(), "not ready while the journal cannot be written: " + ready);
            assertEquals(List.of("before"), net.info().endpoints().stream().map(e -> e.name()).toList(),
                    "reads still answer, and nothing half-done is there");

            Files.delete(filler);
            long deadline = System.currentTimeMillis() + 20_000;
            while (true) {
                try {
                    net.link("after");
                    break;
                } catch (NetkeeperException e) {
                    assertEquals(ErrorCode.JOURNAL, e.code(), e.toString());
                    assertTrue(System.currentTimeMillis() < deadline, "the journal takes writes again once space is freed");
                    Thread.sleep(250);
                }
            }
            assertEquals(List.of("after", "before"), net.info().endpoints().stream().map(e -> e.name()).sorted().toList());
        } finally {
            IpOracle.run("umount", dir.toString());
            Files.deleteIfExists(dir);
        }
    }

    /** Writes zeros into {@code file} until the file system is full. */
    private static void fill(Path file) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
    }
}
