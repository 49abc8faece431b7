package dev.nabla.launcher.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The figures of one {@code nabla bench} run and the table they are printed as: one row per workload,
 * for each backend its figure (in the workload's unit) and its ratio.
 *
 * <p><b>Ratio.</b> A ratio compares times: a backend's time per call divided by the reference time per
 * call on the same row, where the reference is the fastest backend of that row (or, with
 * {@code --baseline}, the named backend). With the fastest as reference every ratio is at least 1:
 * 1.00 is the fastest and 3.00 takes three times as long. For a throughput row (GFLOP/s) it is the
 * same quantity, the reference's rate divided by this backend's. A failed measurement has no figure
 * and no ratio (NaN).
 */
public final class BenchTable {
    private final BenchSettings settings;
    private final List<Workload> workloads;
    private final List<String> backends;
    private final double[][] seconds;
    private final String baseline;

    /**
     * A table of {@code secondsPerCall[w][b]} for workload {@code w} and backend {@code b}.
     *
     * @param baseline the backend ratios are taken against, or null for the fastest of each row
     * @throws IllegalArgumentException if the shapes disagree or {@code baseline} is not among
     *                                  {@code backends}
     */
    public BenchTable(BenchSettings settings, List<Workload> workloads, List<String> backends,
            double[][] secondsPerCall, String baseline) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.workloads = List.copyOf(workloads);
        this.backends = List.copyOf(backends);
        if (secondsPerCall.length != this.workloads.size()) {
            throw new IllegalArgumentException("bench table: " + secondsPerCall.length + " rows of figures for "
                    + this.workloads.size() + " workloads");
        }
        this.seconds = new double[secondsPerCall.length][];
        for (int w = 0; w < secondsPerCall.length; w++) {
            if (secondsPerCall[w].length != this.backends.size()) {
                throw new IllegalArgumentException("bench table: row " + w + " has " + secondsPerCall[w].length
                        + " figures for " + this.backends.size() + " backends");
            }
            this.seconds[w] = secondsPerCall[w].clone();
        }
        if (baseline != null && !this.backends.contains(baseline)) {
            throw new IllegalArgumentException("bench table: baseline '" + baseline + "' is not among "
                    + this.backends);
        }
        this.baseline = baseline;
    }

    /**
     * The ratio of each time to the reference time: {@code secondsPerCall[b] / secondsPerCall[ref]},
     * where {@code ref} is {@code baseline}, or the smallest finite positive time when {@code baseline}
     * is negative. Entries that are not finite and positive, and every entry when the reference is
     * missing, give NaN.
     *
     * @param baseline the index of the reference backend, or -1 for the fastest
     */
    public static double[] ratios(double[] secondsPerCall, int baseline) {
        double ref = Double.NaN;
        if (baseline >= 0) {
            ref = valid(secondsPerCall[baseline]) ? secondsPerCall[baseline] : Double.NaN;
        } else {
            for (double s : secondsPerCall) {
                if (valid(s) && !(s >= ref)) {    // !(s >= NaN) is true: the first valid time sets ref
                    ref = s;
                }
            }
        }
        double[] r = new double[secondsPerCall.length];
        for (int b = 0; b < r.length; b++) {
            r[b] = valid(secondsPerCall[b]) && valid(ref) ? secondsPerCall[b] / ref : Double.NaN;
        }
        return r;
    }

    private static boolean valid(double s) {
        return s > 0 && Double.isFinite(s);
    }

    /** The workloads, in row order. */
    public List<Workload> workloads() {
        return workloads;
    }

    /** The backends, in column order. */
    public List<String> backends() {
        return backends;
    }

    /** Seconds per call of workload {@code w} on backend {@code b} (NaN if it failed). */
    public double secondsPerCall(int w, int b) {
        return seconds[w][b];
    }

    /** The figure of workload {@code w} on backend {@code b}, in the workload's unit (NaN if it failed). */
    public double figure(int w, int b) {
        return workloads.get(w).figure(seconds[w][b], settings);
    }

    /** The ratios of row {@code w}, one per backend (see the class comment). */
    public double[] ratios(int w) {
        return ratios(seconds[w], baseline == null ? -1 : backends.indexOf(baseline));
    }

    /** What the ratio column means, as printed above the table. */
    public String ratioLegend() {
        if (baseline == null) {
            return "ratio = time per call ÷ the fastest backend's time per call on the same row "
                    + "(1.00 = fastest, 3.00 = takes three times as long; for GFLOP/s: the fastest rate ÷ this rate)";
        }
        return "ratio = time per call ÷ " + baseline + "'s time per call on the same row "
                + "(below 1 = faster than " + baseline + ", 3.00 = takes three times as long; for GFLOP/s: "
                + baseline + "'s rate ÷ this rate)";
    }

    /** Prints the legend line and the table. */
    public void print(PrintStream out) {
        out.println(ratioLegend());
        out.println();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("workload", "unit"));
        for (String b : backends) {
            header.add(b);
            header.add("ratio");
        }
        rows.add(header.toArray(String[]::new));
        for (int w = 0; w < workloads.size(); w++) {
            Workload wl = workloads.get(w);
            List<String> row = new ArrayList<>(List.of(wl.label(settings), wl.unit().symbol()));
            double[] r = ratios(w);
            for (int b = 0; b < backends.size(); b++) {
                double f = figure(w, b);
                row.add(Double.isFinite(f) ? figure(f) : "failed");
                row.add(Double.isFinite(r[b]) ? ratio(r[b]) : "-");
            }
            rows.add(row.toArray(String[]::new));
        }
        int[] width = new int[header.size()];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                if (c > 0) {
                    line.append(c >= 2 && c % 2 == 0 ? "   " : "  ");
                }
                // text columns to the left, numbers to the right
                line.append(c < 2 ? pad(row[c], width[c], false) : pad(row[c], width[c], true));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** A figure with three or four significant digits: 1234, 150.3, 12.34, 0.853. */
    static String figure(double v) {
        double a = Math.abs(v);
        String f = a >= 1000 ? "%.0f" : a >= 100 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, v);
    }

    /** A ratio: 0.050, 1.00, 12.3, 456. */
    static String ratio(double r) {
        String f = r >= 100 ? "%.0f" : r >= 10 ? "%.1f" : r >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, f, r);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }
}
