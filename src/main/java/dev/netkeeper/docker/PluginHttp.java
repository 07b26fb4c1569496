package dev.netkeeper.docker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The little of HTTP/1.1 that Docker's plugin protocol uses, read and written on one connection: a request line, headers
 * and a {@code Content-Length} body (dockerd's client always sends one); a JSON answer with its length. Written here because dockerd sends an empty {@code Host:} header, which Jetty (the
 * local API's server) refuses as a bad request, as the RFC allows. Bounded: 16 KiB of head, 1 MiB of body.
 */
final class PluginHttp {
    static final int MAX_HEAD = 16 * 1024;
    static final int MAX_BODY = 1024 * 1024;

    private PluginHttp() {}

    /** One request: its method, path and body. */
    record Request(String method, String path, String body) {}

    /** A request the connection cannot go on after: answered with {@code status}, then closed. */
    static final class BadRequest extends IOException {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The next request, or empty when the peer closed the connection between requests. */
    static Optional<Request> read(InputStream in) throws IOException {
        String head = head(in);
        if (head == null) {
            return Optional.empty();
        }
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "not an HTTP/1.x request line: " + lines[0]);
        }
        int length = -1;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new BadRequest(400, "a header without a name: " + lines[i]);
            }
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip();
            if (name.equals("transfer-encoding")) {
                throw new BadRequest(411, "a chunked body: the plugin protocol sends Content-Length");
            }
            if (name.equals("content-length")) {
                try {
                    length = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new BadRequest(400, "Content-Length '" + value + "'");
                }
            }
        }
        if (length > MAX_BODY) {
            throw new BadRequest(413, "a body of " + length + " bytes (at most " + MAX_BODY + ")");
        }
        byte[] body = length <= 0 ? new byte[0] : in.readNBytes(length);
        if (body.length < Math.max(length, 0)) {
            throw new BadRequest(400, "the body ended after " + body.length + " of " + length + " bytes");
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        return Optional.of(new Request(requestLine[0], query < 0 ? target : target.substring(0, query),
                new String(body, StandardCharsets.UTF_8)));
    }

    /** The head up to the blank line (without it); null at a clean end of stream before any byte. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0; // the last four bytes read, the newest lowest
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new BadRequest(400, "the connection ended inside a request's head");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new BadRequest(431, "a request head of more than " + MAX_HEAD + " bytes");
            }
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a || (last4 & 0xffff) == 0x0a0a) { // CRLF CRLF, or LF LF
                return head.toString(StandardCharsets.ISO_8859_1).strip();
            }
        }
    }

    /** The answer; {@code close}: the connection ends after it (said in "Connection: close"). */
    static void write(OutputStream out, int status, String json, boolean close) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
                + "Content-Type: " + PluginSocket.MEDIA_TYPE + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (close ? "Connection: close\r\n" : "")
                + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 405 -> "Method Not Allowed";
            case 411 -> "Length Required";
            case 413 -> "Payload Too Large";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }
}
