package dev.netkeeper.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netkeeper.testing.IpOracle;
import dev.netkeeper.testing.ThrowawayNamespace;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs after every other test class (ClassOrderer$OrderAnnotation in junit-platform.properties): the
 * kernel tests left nothing behind, and nothing of theirs reached the machine's own namespace.
 */
@Order(Integer.MAX_VALUE)
class LeakCheckTest {
    /** Prefixes of the link names the kernel tests use; none may exist in the machine's namespace. */
    private static final List<String> TEST_LINK_PREFIXES = List.of("nk", "veth", "br0", "eth-test");

    @Test
    void noTestNamespaceIsLeft() {
        List<String> leaked = IpOracle.namespaces().stream()
                .filter(n -> n.startsWith(ThrowawayNamespace.PREFIX)).toList();
        assertEquals(List.of(), leaked, "namespaces left by tests");
    }

    @Test
    void noTestNamespaceFileIsLeft() throws IOException {
        List<String> leaked = new ArrayList<>();
        if (Files.isDirectory(ThrowawayNamespace.ROOT)) {
            try (Stream<Path> files = Files.list(ThrowawayNamespace.ROOT)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ThrowawayNamespace.PREFIX))
                        .forEach(leaked::add);
            }
        }
        assertEquals(List.of(), leaked, "files left in " + ThrowawayNamespace.ROOT);
    }

    @Test
    void theMachineHasNoLinkMadeByTests() {
        List<String> suspicious = new ArrayList<>();
        for (JsonNode l : IpOracle.hostLinks()) {
            String name = l.path("ifname").asText();
            if (TEST_LINK_PREFIXES.stream().anyMatch(name::startsWith)) {
                suspicious.add(name);
            }
        }
        assertEquals(List.of(), suspicious, "links in the machine's own namespace");
    }

    /** No thread of this JVM was left inside another namespace by NetNamespace.call(). */
    @Test
    void everyThreadIsBackInTheMachineNamespace() throws IOException {
        Path home = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        List<String> astray = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    Path ns = Files.readSymbolicLink(task.resolve("ns/net"));
                    // netns-create helpers end inside their new namespace by design, and are gone right after.
                    if (!ns.equals(home) && !comm.startsWith("netns-create")) {
                        astray.add(task.getFileName() + " (" + comm + ") in " + ns);
                    }
                } catch (NoSuchFileException exited) {
                    // the thread ended while we looked
                }
            }
        }
        assertEquals(List.of(), astray);
    }
}
