package dev.netkeeper.dns;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class UpstreamsTest {
    @Test
    void nameserverAddressesInOrderAndNothingElse() throws Exception {
        assertEquals(List.of(InetAddress.getByName("192.0.2.53"), InetAddress.getByName("2001:db8::53")),
                Upstreams.parse(List.of("# comment", "search example.org", "nameserver 192.0.2.53",
                        "options ndots:2", "nameserver   2001:db8::53  # trailing", "nameserver resolver.example")));
    }

    @Test
    void theFileIsReadAgainWhenItChangesAndTheResolversOwnAddressesAreNeverUpstreams(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("resolv.conf");
        Files.writeString(file, "nameserver 10.1.0.1\nnameserver 192.0.2.1\n");
        InetAddress own = InetAddress.getByName("10.1.0.1");
        Upstreams u = new Upstreams(file, () -> Set.of(own));
        assertEquals(List.of(InetAddress.getByName("192.0.2.1")), u.current(), "10.1.0.1 is a network's resolver");
        Files.writeString(file, "nameserver 192.0.2.2\nnameserver 192.0.2.3\n");
        Thread.sleep(Upstreams.RECHECK_NANOS / 1_000_000 + 100);
        assertEquals(List.of(InetAddress.getByName("192.0.2.2"), InetAddress.getByName("192.0.2.3")), u.current());
        Files.delete(file);
        Thread.sleep(Upstreams.RECHECK_NANOS / 1_000_000 + 100);
        assertEquals(List.of(), u.current(), "no file: no upstream");
    }
}
