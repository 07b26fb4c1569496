package dev.netkeeper.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a JFR recording of the agent says, as Markdown: CPU samples (jdk.ExecutionSample) by thread group, the top
 * self frames, the netkeeper methods with the most samples on their stack (inclusive), where threads sat in native
 * code (jdk.NativeMethodSample), and the journal's file I/O (jdk.FileForce / jdk.FileWrite).
 */
final class JfrSummary {
    private final Map<String, Integer> byGroup = new LinkedHashMap<>();
    private final Map<String, Integer> selfFrames = new HashMap<>();
    private final Map<String, Integer> inclusive = new HashMap<>();
    private final Map<String, Integer> nativeFrames = new HashMap<>();
    private int samples;
    private int nativeSamples;
    private int forces;
    private Duration forceTime = Duration.ZERO;
    private int writes;
    private long writtenBytes;
    private Duration writeTime = Duration.ZERO;

    static JfrSummary read(Path file) throws IOException {
        JfrSummary s = new JfrSummary();
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            switch (e.getEventType().getName()) {
                case "jdk.ExecutionSample" -> s.execution(e);
                case "jdk.NativeMethodSample" -> s.nativeSample(e);
                case "jdk.FileForce" -> {
                    s.forces++;
                    s.forceTime = s.forceTime.plus(e.getDuration());
                }
                case "jdk.FileWrite" -> {
                    s.writes++;
                    s.writtenBytes += e.getLong("bytesWritten");
                    s.writeTime = s.writeTime.plus(e.getDuration());
                }
                default -> { }
            }
        }
        return s;
    }

    /** Thread groups by name: the netlink actor's pinned thread, the journal (Slick/H2), Pekko, the bench client. */
    static String group(RecordedThread t) {
        String name = t == null || t.getJavaName() == null ? "?" : t.getJavaName();
        if (name.contains("netlink-dispatcher")) {
            return "netlink actor (pinned thread: kernel work)";
        }
        if (name.startsWith("db-") || name.startsWith("db connection") || name.contains("slick")
                || name.contains("jdbc") || name.contains("H2") || name.contains("MVStore")) {
            return "journal (Slick / H2 threads)";
        }
        if (name.contains("dispatcher") || name.contains("pekko") || name.contains("scheduler")) {
            return "Pekko dispatchers (entities, sharding, persistence)";
        }
        if (name.startsWith("pool-") || name.equals("main")) {
            return "bench client threads";
        }
        if (name.startsWith("JFR") || name.contains("Flight")) {
            return "JFR";
        }
        return "other (" + name.replaceAll("[0-9]+", "N") + ")";
    }

    private void execution(RecordedEvent e) {
        samples++;
        byGroup.merge(group(e.getThread("sampledThread")), 1, Integer::sum);
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            return;
        }
        selfFrames.merge(frame(st.getFrames().get(0)), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : st.getFrames()) {
            String name = frame(f);
            if (name.startsWith("dev.netkeeper.") && !name.startsWith("dev.netkeeper.bench.") && seen.add(name)) {
                inclusive.merge(name, 1, Integer::sum);
            }
        }
    }

    private void nativeSample(RecordedEvent e) {
        nativeSamples++;
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
            return;
        }
        // the native frame, and the first netkeeper (or H2) frame that called it
        String top = frame(st.getFrames().get(0));
        String caller = st.getFrames().stream().map(JfrSummary::frame)
                .filter(n -> n.startsWith("dev.netkeeper.") || n.startsWith("org.h2."))
                .findFirst().orElse("");
        nativeFrames.merge(caller.isEmpty() ? top : top + " <- " + caller, 1, Integer::sum);
    }

    private static String frame(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type + "." + f.getMethod().getName();
    }

    int samples() {
        return samples;
    }

    int forces() {
        return forces;
    }

    Duration forceTime() {
        return forceTime;
    }

    int writes() {
        return writes;
    }

    long writtenBytes() {
        return writtenBytes;
    }

    Duration writeTime() {
        return writeTime;
    }

    /** "42.5%": the share of CPU samples of the thread group whose name starts with {@code prefix}. */
    String groupShare(String prefix) {
        int c = byGroup.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToInt(Map.Entry::getValue).sum();
        return pct(c, samples);
    }

    /** Share (percent) of CPU samples whose stack holds a netkeeper method whose name contains {@code part}. */
    double inclusivePercent(String part) {
        return samples == 0 ? 0 : 100.0 * inclusive.entrySet().stream().filter(en -> en.getKey().contains(part))
                .mapToInt(Map.Entry::getValue).max().orElse(0) / samples;
    }

    String markdown(int top) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("CPU samples (jdk.ExecutionSample, 2 ms): %d. By thread group: %s.%n%n", samples,
                byGroup.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(en -> en.getKey() + " " + pct(en.getValue(), samples)).collect(Collectors.joining(", "))));
        b.append("| top self frames (CPU) | share |\n|---|---|\n");
        sorted(selfFrames, top).forEach(en -> b.append("| `").append(en.getKey()).append("` | ")
                .append(pct(en.getValue(), samples)).append(" |\n"));
        b.append("\n| netkeeper methods on the stack (CPU, inclusive) | share |\n|---|---|\n");
        sorted(inclusive, top).forEach(en -> b.append("| `").append(en.getKey()).append("` | ")
                .append(pct(en.getValue(), samples)).append(" |\n"));
        b.append(String.format("%n| where threads sat in native code (jdk.NativeMethodSample, %d samples) | share |%n|---|---|%n",
                nativeSamples));
        sorted(nativeFrames, Math.min(top, 8)).forEach(en -> b.append("| `").append(en.getKey()).append("` | ")
                .append(pct(en.getValue(), nativeSamples)).append(" |\n"));
        b.append(String.format("%nJournal file I/O in the window: %d fsyncs (jdk.FileForce) taking %.1f ms in all; "
                        + "%d file writes, %.1f MB, %.1f ms.%n", forces, forceTime.toNanos() / 1e6, writes,
                writtenBytes / 1e6, writeTime.toNanos() / 1e6));
        return b.toString();
    }

    private static List<Map.Entry<String, Integer>> sorted(Map<String, Integer> m, int top) {
        List<Map.Entry<String, Integer>> l = new ArrayList<>(m.entrySet());
        l.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        return l.subList(0, Math.min(top, l.size()));
    }

    private static String pct(int part, int whole) {
        return whole == 0 ? "-" : String.format("%.1f%%", 100.0 * part / whole);
    }
}
