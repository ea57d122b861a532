package io.lamina.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Percentiles of a sample (nearest rank), formatted the way the result lines print them. */
final class Stats {
    private final double[] sorted;

    Stats(double[] values) {
        this.sorted = values.clone();
        Arrays.sort(sorted);
    }

    static Stats of(List<Double> values) {
        return new Stats(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int n() {
        return sorted.length;
    }

    /** Nearest-rank percentile, {@code p} in 0..100. */
    double p(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double mean() {
        return Arrays.stream(sorted).average().orElse(Double.NaN);
    }

    static String ms(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String list(List<Double> values, int decimals) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%." + decimals + "f", v))
                .collect(Collectors.joining(","));
    }
}
