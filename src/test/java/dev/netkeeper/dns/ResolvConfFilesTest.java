package dev.netkeeper.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The namespaces' resolv.conf files: written from what the journal says, and only ever the agent's own. */
class ResolvConfFilesTest {
    @Test
    void writesMarkedFilesRemovesItsStaleOnesAndNeverTouchesAnothers(@TempDir Path etc) throws Exception {
        ResolvConfFiles files = new ResolvConfFiles(etc, "h1");
        InetAddress gw = InetAddress.getByName("10.70.0.1");
        InetAddress gw6 = InetAddress.getByName("fd70::1");
        Files.createDirectories(etc.resolve("theirs"));
        Files.writeString(etc.resolve("theirs/resolv.conf"), "nameserver 192.0.2.1\n");
        Files.createDirectories(etc.resolve("gone"));
        Files.writeString(etc.resolve("gone/resolv.conf"), ResolvConfFiles.MARK + "h1:/var/run/netns/gone; x\n");
        Files.createDirectories(etc.resolve("other-host"));
        Files.writeString(etc.resolve("other-host/resolv.conf"), ResolvConfFiles.MARK + "h2:/var/run/netns/other-host; x\n");

        files.converge(Map.of("/var/run/netns/c1", List.of(gw, gw6), "/var/run/netns/theirs", List.of(gw),
                "/var/lib/elsewhere/c2", List.of(gw)));

        String c1 = Files.readString(etc.resolve("c1/resolv.conf"));
        assertTrue(c1.startsWith(ResolvConfFiles.MARK + "h1:/var/run/netns/c1"), c1);
        assertTrue(c1.endsWith("nameserver 10.70.0.1\nnameserver fd70::1\n"), c1);
        assertEquals("nameserver 192.0.2.1\n", Files.readString(etc.resolve("theirs/resolv.conf")), "not the agent's");
        assertFalse(Files.exists(etc.resolve("gone")), "a namespace the journal no longer holds: its file and directory");
        assertTrue(Files.exists(etc.resolve("other-host/resolv.conf")), "another host's agent wrote that one");
        assertFalse(Files.exists(etc.resolve("c2")), "ip netns exec knows only /var/run/netns and /run/netns");

        files.converge(Map.of("/var/run/netns/c1", List.of()));
        assertFalse(Files.exists(etc.resolve("c1/resolv.conf")), "on no network with a resolver any more");
    }
}
