package dev.netkeeper.docker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The request dockerd's Go client writes (an empty Host header) is read; what the protocol never sends is refused. */
class PluginHttpTest {
    private static Optional<PluginHttp.Request> read(String raw) throws IOException {
        return PluginHttp.read(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsDockerdsRequestWithItsEmptyHostHeader() throws IOException {
        String body = "{\"PoolID\":\"nk:10.77.0.0/24\"}";
        PluginHttp.Request r = read("POST /IpamDriver.ReleasePool HTTP/1.1\r\nHost: \r\nUser-Agent: Go-http-client/1.1\r\n"
                + "Content-Length: " + body.length() + "\r\nAccept: application/vnd.docker.plugins.v1.2+json\r\n\r\n"
                + body).orElseThrow();
        assertEquals("POST", r.method());
        assertEquals("/IpamDriver.ReleasePool", r.path());
        assertEquals(body, r.body());
        assertEquals("", read("POST /Plugin.Activate HTTP/1.1\r\nHost: \r\nContent-Length: 0\r\n\r\n").orElseThrow().body());
        assertEquals(Optional.empty(), read(""), "a connection closed before a request");
    }

    @Test
    void refusesWhatThePluginProtocolNeverSends() {
        assertEquals(411, assertThrows(PluginHttp.BadRequest.class, () -> read("POST /x HTTP/1.1\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")).status);
        assertEquals(413, assertThrows(PluginHttp.BadRequest.class, () -> read("POST /x HTTP/1.1\r\n"
                + "Content-Length: 99999999\r\n\r\n")).status);
        assertEquals(400, assertThrows(PluginHttp.BadRequest.class, () -> read("POST /x HTTP/1.1\r\n"
                + "Content-Length: 10\r\n\r\n{}")).status, "a body cut short");
        assertEquals(400, assertThrows(PluginHttp.BadRequest.class, () -> read("GARBAGE\r\n\r\n")).status);
        assertEquals(431, assertThrows(PluginHttp.BadRequest.class, () -> read("POST /x HTTP/1.1\r\nX: "
                + "a".repeat(PluginHttp.MAX_HEAD) + "\r\n\r\n")).status);
    }

    @Test
    void answersWithLengthAndClose() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PluginHttp.write(out, 200, "{}\n", true);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("HTTP/1.1 200 OK\r\n"), text);
        assertTrue(text.contains("Content-Length: 3\r\n") && text.contains("Connection: close\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\n{}\n"), text);
    }
}
