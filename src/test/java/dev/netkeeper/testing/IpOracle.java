package dev.netkeeper.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The independent witness for kernel tests: iproute2's own view ({@code ip -j -n NS ...}) and
 * iputils' ping run inside a namespace. Only tests start processes; main code never does.
 */
public final class IpOracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IpOracle() {}

    /** {@code ip -j -n ns link show}: one node per link (ifname, link_type, mtu, address, master, flags...). */
    public static JsonNode links(String ns) {
        return json("ip", "-j", "-d", "-n", ns, "link", "show");
    }

    public static JsonNode link(String ns, String name) {
        for (JsonNode l : links(ns)) {
            if (name.equals(l.path("ifname").asText())) {
                return l;
            }
        }
        return null;
    }

    /** {@code ip -j -n ns addr show}: links with their addr_info arrays. */
    public static JsonNode addresses(String ns) {
        return json("ip", "-j", "-n", ns, "addr", "show");
    }

    /** "10.1.0.2/24" style strings on one link. */
    public static List<String> addressesOf(String ns, String link) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : addresses(ns)) {
            if (link.equals(l.path("ifname").asText())) {
                for (JsonNode a : l.path("addr_info")) {
                    out.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt());
                }
            }
        }
        return out;
    }

    /** {@code ip -j -n ns -4|-6 route show}: dst ("default"), gateway, dev. */
    public static JsonNode routes(String ns, boolean ipv6) {
        return json("ip", "-j", "-n", ns, ipv6 ? "-6" : "-4", "route", "show");
    }

    public static List<String> namespaces() {
        Result r = run("ip", "netns", "list");
        List<String> names = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                names.add(line.split(" ")[0]);
            }
        }
        return names;
    }

    /** One ICMP echo from inside {@code ns}; true when answered. */
    public static boolean ping(String ns, String address) {
        String[] cmd = address.contains(":")
                ? new String[] {"ip", "netns", "exec", ns, "ping", "-6", "-c", "1", "-W", "2", address}
                : new String[] {"ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "2", address};
        return run(cmd).exitCode() == 0;
    }

    public static JsonNode json(String... command) {
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.stderr());
        }
        try {
            return JSON.readTree(r.stdout().isBlank() ? "[]" : r.stdout());
        } catch (IOException e) {
            throw new IllegalStateException("unparseable output of " + String.join(" ", command), e);
        }
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(command).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
