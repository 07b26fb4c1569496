package dev.netkeeper.bench;

import java.util.Arrays;

/** Percentiles of latency samples (milliseconds), nearest-rank. */
public record Stats(int count, double p50, double p90, double p99, double max, double mean) {

    public static Stats of(double[] values) {
        if (values.length == 0) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] s = values.clone();
        Arrays.sort(s);
        return new Stats(s.length, pct(s, 50), pct(s, 90), pct(s, 99), s[s.length - 1], Arrays.stream(s).average().orElse(0));
    }

    /** Nearest-rank percentile of sorted values. */
    public static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Element-wise sum (the per-endpoint total of two phases). */
    public static double[] sum(double[] a, double[] b) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + b[i];
        }
        return out;
    }
}
