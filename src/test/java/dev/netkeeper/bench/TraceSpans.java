package dev.netkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Timing spans of traced commands, cut from the agent's own DEBUG log (microsecond timestamps, see
 * bench/logback-bench.xml) between BenchAgent's "TRACE op i begin|end" markers. Commands run one at a time, so every
 * line inside a window belongs to that command. Per command:
 * <ul>
 * <li>entry: from the client's call to the first "Handled command" of an entity (gateway, sharding, for a new
 *     entity its start: remember-entities write and recovery; and the command handler itself);</li>
 * <li>journal: the sum of Pekko's own "Received Journal response ... after N nanos" (persist to ack);</li>
 * <li>kernel: from the journal response that precedes the kernel work to the entity handling the kernel's answer
 *     (Placed / Attached / Created / KernelDone): the netlink actor's task plus two local hops;</li>
 * <li>rest: everything else (directory lookup, claim ask between entities, replies, scheduling).</li>
 * </ul>
 */
final class TraceSpans {
    private static final Pattern MARK = Pattern.compile("^TRACE (\\S+) (\\d+) (begin|end) (\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{6})");
    private static final Pattern LOG = Pattern.compile("^(\\d\\d):(\\d\\d):(\\d\\d)\\.(\\d{3})(\\d{3}) ");
    private static final Pattern JOURNAL = Pattern.compile("Received Journal response: .* after: (\\d+) nanos");
    private static final Pattern KERNEL_DONE =
            Pattern.compile("Handled command \\[[^\\]]*\\$(Placed|Attached|Created|KernelDone)\\]");
    private static final Pattern MOVE = Pattern.compile("op=\"moving ");

    record Span(double total, double entry, double journal, double kernel, double rest, double move) {}

    private record Line(long us, String text) {}

    final Map<String, List<Span>> byOp = new LinkedHashMap<>();

    static TraceSpans parse(Path log) throws IOException {
        List<Line> lines = new ArrayList<>();
        Map<String, Long> begins = new LinkedHashMap<>();
        List<String[]> windows = new ArrayList<>(); // op, begin us, end us
        for (String l : Files.readAllLines(log)) {
            Matcher m = MARK.matcher(l);
            if (m.find()) {
                long us = micros(m.group(4), m.group(5), m.group(6), m.group(7));
                String key = m.group(1) + " " + m.group(2);
                if (m.group(3).equals("begin")) {
                    begins.put(key, us);
                } else if (begins.containsKey(key)) {
                    windows.add(new String[] {m.group(1), Long.toString(begins.remove(key)), Long.toString(us)});
                }
                continue;
            }
            Matcher t = LOG.matcher(l);
            if (t.find()) {
                lines.add(new Line(micros(t.group(1), t.group(2), t.group(3), t.group(4) + t.group(5)), l));
            }
        }
        lines.sort((a, b) -> Long.compare(a.us, b.us));
        TraceSpans out = new TraceSpans();
        for (String[] w : windows) {
            long begin = Long.parseLong(w[1]);
            long end = Long.parseLong(w[2]);
            out.byOp.computeIfAbsent(w[0], k -> new ArrayList<>()).add(span(lines, begin, end));
        }
        return out;
    }

    private static Span span(List<Line> all, long begin, long end) {
        List<Line> in = new ArrayList<>();
        for (Line l : all) {
            if (l.us >= begin && l.us <= end) {
                in.add(l);
            }
        }
        double total = (end - begin) / 1000.0;
        double entry = Double.NaN;
        double journal = 0;
        long lastResponse = -1;
        double kernel = Double.NaN;
        double move = Double.NaN;
        long previous = begin;
        for (Line l : in) {
            if (Double.isNaN(entry) && l.text.contains("Handled command [")) {
                entry = (l.us - begin) / 1000.0;
            }
            Matcher j = JOURNAL.matcher(l.text);
            if (j.find()) {
                journal += Long.parseLong(j.group(1)) / 1e6;
                lastResponse = l.us;
            }
            if (Double.isNaN(kernel) && KERNEL_DONE.matcher(l.text).find() && lastResponse >= 0) {
                kernel = (l.us - lastResponse) / 1000.0;
            }
            if (Double.isNaN(move) && MOVE.matcher(l.text).find()) {
                move = (l.us - previous) / 1000.0;
            }
            previous = l.us;
        }
        double rest = total - nz(entry) - journal - nz(kernel);
        return new Span(total, entry, journal, kernel, rest, move);
    }

    private static double nz(double d) {
        return Double.isNaN(d) ? 0 : d;
    }

    private static long micros(String h, String m, String s, String frac6) {
        return ((Long.parseLong(h) * 60 + Long.parseLong(m)) * 60 + Long.parseLong(s)) * 1_000_000L + Long.parseLong(frac6);
    }

    /** Markdown: per command, the mean of each span (means add up) and the p50 of the total. */
    String markdown() {
        StringBuilder b = new StringBuilder("| command (traced, one at a time) | n | total p50 | total mean | entry mean | "
                + "journal mean | kernel mean | rest mean |\n|---|---|---|---|---|---|---|---|\n");
        byOp.forEach((op, spans) -> {
            double[] total = spans.stream().mapToDouble(Span::total).toArray();
            b.append(String.format("| %s | %d | %.2f | %.2f | %.2f | %.2f | %s | %.2f |%n", label(op), spans.size(),
                    Stats.of(total).p50(), mean(spans, Span::total), mean(spans, Span::entry), mean(spans, Span::journal),
                    fmt(mean(spans, Span::kernel)), mean(spans, Span::rest)));
        });
        List<Span> add = byOp.get("add");
        if (add != null) {
            double[] moves = add.stream().mapToDouble(Span::move).filter(d -> !Double.isNaN(d)).toArray();
            if (moves.length > 0) {
                b.append(String.format("%nInside AddInterface's kernel span, the move of the interface into the namespace "
                                + "(RTM_NEWLINK with IFLA_NET_NS_FD, with the three lookups before it) took p50 %.2f ms, "
                                + "mean %.2f ms, in the agent.%n", Stats.of(moves).p50(),
                        java.util.Arrays.stream(moves).average().orElse(Double.NaN)));
            }
        }
        return b.toString();
    }

    /** Mean ms of the move inside AddInterface's kernel span. */
    double moveMean() {
        List<Span> add = byOp.get("add");
        return add == null ? Double.NaN : add.stream().mapToDouble(Span::move).filter(d -> !Double.isNaN(d)).average()
                .orElse(Double.NaN);
    }

    double mean(String op, java.util.function.ToDoubleFunction<Span> f) {
        List<Span> spans = byOp.get(op);
        return spans == null ? Double.NaN : mean(spans, f);
    }

    private static double mean(List<Span> spans, java.util.function.ToDoubleFunction<Span> f) {
        return spans.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format("%.2f", d);
    }

    private static String label(String op) {
        return switch (op) {
            case "nscreate" -> "namespace create";
            case "link" -> "Link";
            case "add" -> "AddInterface";
            case "remove" -> "RemoveInterface";
            case "unlink" -> "Unlink";
            case "nsdelete" -> "namespace delete";
            default -> op;
        };
    }
}
