package dev.netkeeper.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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

    /** The names of every link in {@code ns}, in ifindex order. */
    public static List<String> linkNames(String ns) {
        List<String> out = new ArrayList<>();
        for (JsonNode l : links(ns)) {
            out.add(l.path("ifname").asText());
        }
        return out;
    }

    /** {@code ip -j link show} in the namespace of this JVM: the machine's own links. Read-only. */
    public static JsonNode hostLinks() {
        return json("ip", "-j", "link", "show");
    }

    /** The "flags" array of a link node: "BROADCAST", "MULTICAST", "UP", "LOWER_UP", "NO-CARRIER"... */
    public static List<String> flags(JsonNode link) {
        List<String> out = new ArrayList<>();
        for (JsonNode f : link.path("flags")) {
            out.add(f.asText());
        }
        return out;
    }

    /**
     * Polls {@link #link} until {@code condition} holds or {@code timeoutMillis} pass, and returns the last
     * node seen (null if the link never appeared). For values the kernel settles asynchronously
     * (operstate is updated by the linkwatch work item); the caller still asserts on the result.
     */
    public static JsonNode awaitLink(String ns, String name, Predicate<JsonNode> condition, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        JsonNode l = link(ns, name);
        while ((l == null || !condition.test(l)) && System.nanoTime() < deadline) {
            sleep(50);
            l = link(ns, name);
        }
        return l;
    }

    /** The addr_info entry of {@code local} on {@code link}, or null. */
    public static JsonNode addressInfo(String ns, String link, String local) {
        for (JsonNode l : addresses(ns)) {
            if (link.equals(l.path("ifname").asText())) {
                for (JsonNode a : l.path("addr_info")) {
                    if (local.equals(a.path("local").asText())) {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /** {@code ip netns exec ns cat file}: a file (a sysctl) as a process inside {@code ns} reads it. */
    public static String readInside(String ns, String file) {
        Result r = run("ip", "netns", "exec", ns, "cat", file);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("cat " + file + " in " + ns + " failed: " + r.stderr());
        }
        return r.stdout().strip();
    }

    /** Pings until one echo is answered or {@code timeoutMillis} pass; true when answered. */
    public static boolean pingEventually(String ns, String address, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (ping(ns, address)) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
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

    public record Result(int exitCode, String stdout, String stderr) {
        /** stdout without the line end (a command that prints one value). */
        public String line() {
            return stdout.strip();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + stdout + stderr;
        }
    }

    /** {@code ip -n ns ARGS...}, which must succeed: how a test makes links of "another owner" by hand. */
    public static void ipIn(String ns, String... args) {
        String[] command = new String[args.length + 3];
        command[0] = "ip";
        command[1] = "-n";
        command[2] = ns;
        System.arraycopy(args, 0, command, 3, args.length);
        Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.stderr());
        }
    }

    public static Result run(String... command) {
        return run(30, java.util.Map.of(), List.of(command));
    }

    /**
     * {@code command} with {@code env} added to this process's environment, no input, both outputs read at once (a
     * chatty stderr cannot block it); refused after {@code timeoutSeconds}.
     */
    public static Result run(long timeoutSeconds, java.util.Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
