package dev.netkeeper.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A partition of an {@link UnderlayCluster} under load, for the partition test and the cluster bench alike: a client
 * per host links endpoints of one network on its own host, through that host's socket, one after another, while one
 * host is cut off the underlay; then the cut is healed and the cut host's agent (downed by the majority's split-brain
 * resolver) is started again and rejoins. Every Link's outcome is kept; the journal's trail can then be checked.
 */
public final class PartitionDrill {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PartitionDrill() {}

    /** How one Link call ended: an address (acknowledged), or the refusal's code ("ERROR": no agent answered). */
    public record Outcome(String endpoint, String host, String address, String refusal, long startedMillis,
                          long millis) {
        public boolean acknowledged() {
            return address != null;
        }
    }

    /** One round: every Link's outcome, when the cut began (ms since the round began), and when all were up again. */
    public record Round(List<Outcome> outcomes, long cutAtMillis, long healedAtMillis, long rejoinedAtMillis) {
        /** The first Link acknowledged on the majority side after the cut (ms after the cut), or -1. */
        public long majorityServesAgainAfter(String cut) {
            long lastFailed = outcomes.stream().filter(o -> !o.host().equals(cut) && !o.acknowledged())
                    .mapToLong(Outcome::startedMillis).max().orElse(cutAtMillis);
            return outcomes.stream().filter(o -> !o.host().equals(cut) && o.acknowledged()
                            && o.startedMillis() > cutAtMillis && o.startedMillis() >= lastFailed)
                    .mapToLong(o -> o.startedMillis() + o.millis() - cutAtMillis).min().orElse(-1);
        }

        public long acknowledged() {
            return outcomes.stream().filter(Outcome::acknowledged).count();
        }

        /** Refusals by code. */
        public Map<String, Long> refusals() {
            Map<String, Long> out = new TreeMap<>();
            outcomes.stream().filter(o -> !o.acknowledged()).forEach(o -> out.merge(o.refusal(), 1L, Long::sum));
            return out;
        }

        public long slowestMillis() {
            return outcomes.stream().mapToLong(Outcome::millis).max().orElse(0);
        }

        public String summary() {
            return outcomes.size() + " links asked, " + acknowledged() + " acknowledged, refused " + refusals()
                    + ", slowest answer " + slowestMillis() + " ms";
        }
    }

    /** {@code netkeeper --json link NETWORK ENDPOINT} through {@code host}'s socket, as an operator calls it. */
    public static Outcome link(UnderlayCluster cluster, String network, String endpoint, String host, long since) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = dev.netkeeper.cli.Main.run(List.of("--socket", cluster.socket(host).toString(), "--json", "link",
                network, endpoint), new PrintStream(out), new PrintStream(err));
        long started = (t0 - since) / 1_000_000;
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (code == 0) {
            try {
                return new Outcome(endpoint, host, JSON.readTree(out.toString()).get(0).path("address").asText(), null,
                        started, millis);
            } catch (Exception e) {
                throw new IllegalStateException(out.toString(), e);
            }
        }
        // "netkeeper: CODE: message" for a refusal; "netkeeper: ERROR: ..." when no agent answered at all
        String line = err.toString().strip();
        String word = line.startsWith("netkeeper: ") ? line.substring(11).split(":", 2)[0] : "?";
        return new Outcome(endpoint, host, null, word, started, millis);
    }

    /** The host whose node runs the network's entity ({@code POST /v1/call network.locate} on alpha's socket). */
    public static String locate(UnderlayCluster cluster, String network) throws InterruptedException {
        String[] last = {""};
        String host = eventually(() -> {
            IpOracle.Result r = IpOracle.run("curl", "-sS", "--unix-socket", cluster.socket("alpha").toString(),
                    "-H", "Content-Type: application/json", "-d",
                    "{\"@request\":\"network.locate\",\"name\":\"" + network + "\"}", "http://netkeeper/v1/call");
            last[0] = r.toString();
            try {
                String h = JSON.readTree(r.stdout()).path("reply").path("host").asText();
                return h.isEmpty() ? null : h;
            } catch (Exception e) {
                return null;
            }
        }, 30_000);
        if (host == null) {
            throw new IllegalStateException("network " + network + " not located: " + last[0]);
        }
        return host;
    }

    /**
     * Links on every host for 2 s, cuts {@code cut} for {@code cutMillis} while linking on, heals, links 2 s more, then
     * starts the cut host's agent again and waits until alpha lists all three hosts up.
     */
    public static Round run(UnderlayCluster cluster, String network, String cut, int round, long cutMillis)
            throws Exception {
        AtomicBoolean going = new AtomicBoolean(true);
        long since = System.nanoTime();
        List<CompletableFuture<List<Outcome>>> clients = new ArrayList<>();
        for (String h : UnderlayCluster.HOSTS) {
            clients.add(CompletableFuture.supplyAsync(() -> {
                List<Outcome> mine = new ArrayList<>();
                for (int i = 0; going.get(); i++) {
                    mine.add(link(cluster, network, "r" + round + "-" + h + "-" + i, h, since));
                    sleep(50);
                }
                return mine;
            }));
        }
        Thread.sleep(2_000);
        long cutAt = (System.nanoTime() - since) / 1_000_000;
        cluster.cut(cut);
        Thread.sleep(cutMillis);
        cluster.heal(cut);
        long healedAt = (System.nanoTime() - since) / 1_000_000;
        Thread.sleep(2_000);
        going.set(false);
        List<Outcome> all = new ArrayList<>();
        for (CompletableFuture<List<Outcome>> c : clients) {
            all.addAll(c.get(120, TimeUnit.SECONDS));
        }
        // the minority was downed and stops (slowly: its journal connections hang) unless it rejoined in time
        cluster.agent(cut).exitsWithin(20_000);
        cluster.kill(cut);
        cluster.restart(cut);
        String hosts = eventually(() -> {
            try {
                String listed = cluster.cliOutput("alpha", "hosts");
                return UnderlayCluster.HOSTS.stream().allMatch(h -> listed.lines()
                        .anyMatch(l -> l.startsWith(h + " ") && l.contains(" up"))) ? listed : null;
            } catch (RuntimeException e) {
                return null;
            }
        }, 60_000);
        if (hosts == null) {
            throw new IllegalStateException("not all three hosts up again after round " + round + ":\n" + cluster.logs());
        }
        return new Round(all, cutAt, healedAt, (System.nanoTime() - since) / 1_000_000);
    }

    /**
     * Replays the network's trail (the audit log through alpha's socket): each EndpointAllocated of an address that
     * another endpoint still held.
     */
    public static List<String> addressesHandedOutTwice(UnderlayCluster cluster, String network) throws Exception {
        JsonNode records = JSON.readTree(cluster.cliOutput("alpha", "--json", "audit", "--network", network));
        Map<String, String> heldBy = new HashMap<>();
        Map<String, String> addressOf = new HashMap<>();
        List<String> twice = new ArrayList<>();
        for (JsonNode r : records) {
            JsonNode change = JSON.readTree(r.path("change").asText());
            switch (r.path("event").asText()) {
                case "EndpointAllocated" -> {
                    String name = change.path("endpoint").path("name").asText();
                    String address = change.path("endpoint").path("address").asText();
                    String holder = heldBy.get(address);
                    if (holder != null && !holder.equals(name)) {
                        twice.add(address + " to " + name + " while " + holder + " held it");
                    }
                    heldBy.put(address, name);
                    addressOf.put(name, address);
                }
                case "EndpointReleased" -> {
                    String address = addressOf.remove(change.path("endpoint").asText());
                    if (address != null) {
                        heldBy.remove(address);
                    }
                }
                default -> { }
            }
        }
        return twice;
    }

    /** Allocations in the network's trail. */
    public static long allocations(UnderlayCluster cluster, String network) throws Exception {
        JsonNode records = JSON.readTree(cluster.cliOutput("alpha", "--json", "audit", "--network", network));
        long n = 0;
        for (JsonNode r : records) {
            if (r.path("event").asText().equals("EndpointAllocated")) {
                n++;
            }
        }
        return n;
    }

    public static <T> T eventually(Supplier<T> attempt, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            T value = attempt.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
