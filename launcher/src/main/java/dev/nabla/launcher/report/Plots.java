package dev.nabla.launcher.report;

import dev.nabla.models.checkpoint.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The PNG pictures of a run, drawn with XChart off screen (headless AWT): the loss curve, model points
 * over the data, grids of images (samples, reconstructions, interpolations) and labelled points
 * (a 2-D latent space coloured by class). Each file is written atomically ({@link AtomicFiles}).
 */
public final class Plots {
    /** Width of every picture, in pixels. */
    public static final int WIDTH = 900;
    /** Height of every picture, in pixels. */
    public static final int HEIGHT = 600;

    private static final Color[] PART_COLOURS = {new Color(40, 150, 60), new Color(150, 60, 170),
            new Color(200, 150, 20), new Color(30, 160, 170), new Color(120, 120, 120)};

    private Plots() {
    }

    /**
     * Grey images (values in {@code [0, 1]}) as one PNG: a grid of about √count columns, each image
     * scaled up to at least 56 pixels, with a one-pixel white gap.
     */
    public static void imageGrid(Path png, dev.nabla.models.family.Samples.Images images) {
        imageGrid(png, images, (int) Math.ceil(Math.sqrt(Math.max(1, images.count()))));
    }

    /**
     * Grey images as a grid of {@code columns} columns, filled row by row (reconstructions: originals in
     * the first row, their reconstructions under them; interpolations: one path per row).
     *
     * @throws IllegalArgumentException if {@code columns < 1}
     */
    public static void imageGrid(Path png, dev.nabla.models.family.Samples.Images images, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("imageGrid: columns must be at least 1, got " + columns);
        }
        int n = Math.max(1, images.count());
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int scale = Math.max(1, (int) Math.ceil(56.0 / Math.max(images.height(), images.width())));
        int h = images.height() * scale;
        int w = images.width() * scale;
        BufferedImage out = new BufferedImage(cols * (w + 1) + 1, rows * (h + 1) + 1, BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.dispose();
        float[] px = images.pixels();
        for (int k = 0; k < images.count(); k++) {
            int x0 = 1 + (k % cols) * (w + 1);
            int y0 = 1 + (k / cols) * (h + 1);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = px[(k * images.height() + y / scale) * images.width() + x / scale];
                    int grey = Float.isFinite(v) ? Math.round(255 * Math.max(0, Math.min(1, v))) : 0;
                    out.getRaster().setSample(x0 + x, y0 + y, 0, grey);
                }
            }
        }
        write(png, out);
    }

    /**
     * An alignment as a heatmap ({@code nabla sample --attention FILE}): one row per output token (top to
     * bottom), one column per source token (left to right), each cell from white (weight 0) to black
     * (weight 1), the tokens written along the left and top edges (a space shown as {@code ␣}), the weight
     * written in cells of at least 0.1, and the title above.
     */
    public static void attention(Path png, dev.nabla.models.family.AttentionMap map) {
        int cell = 36;
        int rows = map.output().size();
        int cols = map.source().size();
        int left = 70;
        int top = 80;
        java.awt.Font titleFont = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13);
        String title = map.title().length() > 120 ? map.title().substring(0, 117) + "..." : map.title();
        java.awt.Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        int titleWidth = probe.getFontMetrics(titleFont).stringWidth(title) + 16;   // the picture is at least as wide as its title
        probe.dispose();
        BufferedImage out = new BufferedImage(Math.max(left + cols * cell + 20, titleWidth), top + rows * cell + 20,
                BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, 8, 20);
        g.setFont(new java.awt.Font(java.awt.Font.MONOSPACED, java.awt.Font.BOLD, 16));
        java.awt.FontMetrics fm = g.getFontMetrics();
        g.drawString("source", left, 42);
        for (int j = 0; j < cols; j++) {
            String t = shown(map.source().get(j));
            g.drawString(t, left + j * cell + (cell - fm.stringWidth(t)) / 2, top - 8);
        }
        for (int i = 0; i < rows; i++) {
            String t = shown(map.output().get(i));
            g.drawString(t, left - 8 - fm.stringWidth(t), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
        }
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        java.awt.FontMetrics small = g.getFontMetrics();
        double[] w = map.weights();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = w[i * cols + j];
                v = Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
                int grey = (int) Math.round(255 * (1 - v));
                g.setColor(new Color(grey, grey, grey));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(new Color(200, 200, 200));
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                if (v >= 0.1) {
                    String label = String.format(java.util.Locale.ROOT, "%.2f", v);
                    g.setColor(v > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(label, left + j * cell + (cell - small.stringWidth(label)) / 2, top + i * cell + cell / 2 + 4);
                }
            }
        }
        g.dispose();
        write(png, out);
    }

    private static String shown(String token) {
        return token.equals(" ") ? "\u2423" : token.equals("<eos>") ? "eos" : token;
    }

    /** Ten distinct colours (matplotlib's tab10), by class. */
    private static final int[] TAB10 = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f,
        0xbcbd22, 0x17becf};

    /**
     * Labelled points in the plane, one colour per class with the class names in the legend (a 2-D latent
     * space: {@code latent.png}).
     */
    public static void labelledScatter(Path png, dev.nabla.models.image.LabelledPoints points) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(points.title()).xAxisTitle("z1")
                .yAxisTitle("z2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        int classes = 0;
        for (int l : points.labels()) {
            classes = Math.max(classes, l + 1);
        }
        float[] xy = points.xy();
        for (int c = 0; c < classes; c++) {
            List<Double> xs = new java.util.ArrayList<>();
            List<Double> ys = new java.util.ArrayList<>();
            for (int i = 0; i < points.labels().length; i++) {
                if (points.labels()[i] == c && Float.isFinite(xy[2 * i]) && Float.isFinite(xy[2 * i + 1])) {
                    xs.add((double) xy[2 * i]);
                    ys.add((double) xy[2 * i + 1]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            String name = c < points.names().size() ? c + " " + points.names().get(c) : "class " + c;
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            Color base = new Color(TAB10[c % TAB10.length]);
            s.setMarkerColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), 170));
        }
        write(png, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * The loss curve: the training loss per step (faint), its moving average, the moving average of each
     * named part of the loss, and the validation losses (markers); {@code lossName} labels the vertical axis.
     */
    public static void lossCurve(Path png, String title, String lossName, RunHistory history) {
        write(png, BitmapEncoder.getBufferedImage(lossChart(title, lossName, history)));
    }

    /** The chart of {@link #lossCurve}, not yet drawn. */
    static XYChart lossChart(String title, String lossName, RunHistory history) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(lossName).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<RunHistory.Point> train = history.train();
        List<RunHistory.Point> val = history.validation();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (List<RunHistory.Point> points : List.of(train, val)) {
            if (!points.isEmpty()) {
                first = Math.min(first, points.getFirst().step());
                last = Math.max(last, points.getLast().step());
            }
        }
        if (first <= last) {
            StepTicks ticks = StepTicks.of(first, last, WIDTH - 120);
            // XChart puts ticks at the data's own steps when they are equally spaced (1, 751, 1501, …) and
            // otherwise at a step of its own: the axis spans whole multiples of our step, and only those
            // multiples are labelled, so every label is a round number and labels never run together
            chart.getStyler().setXAxisMin((double) ticks.from()).setXAxisMax((double) ticks.to());
            chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(40, (WIDTH - 120) / Math.max(1, ticks.values().length - 1)));
            chart.getStyler().setxAxisTickLabelsFormattingFunction(ticks::label);
            XYSeries span = chart.addSeries(" ", new double[] {ticks.from(), ticks.from() + 0.5, ticks.to()},
                    new double[] {Double.NaN, Double.NaN, Double.NaN});   // unequal spacing: XChart's own round ticks
            span.setMarker(SeriesMarkers.NONE);
            span.setShowInLegend(false);
            span.setLineColor(new Color(0, 0, 0, 0));
        }
        if (!train.isEmpty()) {
            double[] x = new double[train.size()];
            double[] y = new double[train.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = train.get(i).step();
                y[i] = finiteOr(train.get(i).loss());
            }
            XYSeries raw = chart.addSeries("train loss", x, y);
            raw.setMarker(SeriesMarkers.NONE);
            raw.setLineColor(new Color(120, 160, 220, 110));
            XYSeries avg = chart.addSeries("moving average", x, movingAverage(y, Math.max(1, train.size() / 50)));
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(new Color(20, 60, 160));
            int colour = 0;
            for (var part : history.parts().entrySet()) {
                if (part.getKey().equals(dev.nabla.models.train.TrainingLoop.GRAD_NORM)) {
                    continue;   // a gradient norm is no loss: metrics.csv keeps it, the loss axis does not
                }
                List<RunHistory.Point> points = part.getValue();
                double[] px = new double[points.size()];
                double[] py = new double[points.size()];
                for (int i = 0; i < px.length; i++) {
                    px[i] = points.get(i).step();
                    py[i] = finiteOr(points.get(i).loss());
                }
                XYSeries ps = chart.addSeries(part.getKey(), px, movingAverage(py, Math.max(1, points.size() / 50)));
                ps.setMarker(SeriesMarkers.NONE);
                ps.setLineColor(PART_COLOURS[colour++ % PART_COLOURS.length]);
            }
        }
        if (!val.isEmpty()) {
            double[] x = new double[val.size()];
            double[] y = new double[val.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = val.get(i).step();
                y[i] = finiteOr(val.get(i).loss());
            }
            XYSeries v = chart.addSeries("validation loss", x, y);
            v.setMarker(SeriesMarkers.CIRCLE);
            v.setLineColor(new Color(210, 80, 30));
            v.setMarkerColor(new Color(210, 80, 30));
        }
        if (train.isEmpty() && val.isEmpty()) {
            chart.addSeries("no steps recorded", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /**
     * The labelled ticks of a step axis: multiples of a round step (1, 2 or 5 × 10^k, at least 1) from
     * the multiple at or below the first step to the one at or above the last, at most
     * {@value #MAX_TICKS} intervals and no more than fit {@code pixels} with room between the labels.
     *
     * @param step   the distance between ticks
     * @param values the tick values, in order
     */
    record StepTicks(long step, long[] values) {
        /** Pixels per character of a tick label, and the gap between labels, both generous. */
        static final int CHAR_PIXELS = 8;
        static final int GAP_PIXELS = 30;

        static StepTicks of(long first, long last, int pixels) {
            long lo = Math.min(first, last);
            long hi = Math.max(first, last);
            long step = 1;
            for (int k = 0; ; k++) {
                long candidate = new long[] {1, 2, 5}[k % 3] * (long) Math.pow(10, k / 3);
                long from = Math.floorDiv(lo, candidate) * candidate;
                long to = Math.max(from + candidate, -Math.floorDiv(-hi, candidate) * candidate);
                long intervals = (to - from) / candidate;
                int widest = Math.max(label(from).length(), label(to).length());
                if (intervals <= MAX_TICKS && (intervals + 1) * (widest * CHAR_PIXELS + GAP_PIXELS) <= pixels) {
                    step = candidate;
                    long[] v = new long[(int) intervals + 1];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = from + i * step;
                    }
                    return new StepTicks(step, v);
                }
            }
        }

        long from() {
            return values[0];
        }

        long to() {
            return values[values.length - 1];
        }

        /**
         * The label of axis value {@code x}: {@code "1,500"} at a multiple of the step, empty elsewhere.
         * (Also past the axis' ends, where XChart places a tick it does not draw: it loops for ever on an
         * empty label there.)
         */
        String label(Double x) {
            long r = Math.round(x);
            return Math.abs(x - r) < 1e-6 && Math.floorMod(r, step) == 0 ? label(r) : "";
        }

        static String label(long v) {
            return String.format(java.util.Locale.ROOT, "%,d", v);
        }
    }

    /** The most intervals between labelled ticks on the step axis. */
    static final int MAX_TICKS = 10;

    /**
     * Samples drawn over data: {@code data} and {@code samples} are row-major {@code [n, 2]} points.
     * The axes cover the data (with a margin) so far-off samples do not squash the picture.
     */
    public static void samples(Path png, String title, float[] data, float[] samples) {
        XYChart chart = new XYChartBuilder().width(HEIGHT).height(HEIGHT).title(title).xAxisTitle("x1")
                .yAxisTitle("x2").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        double[] box = bounds(data);
        chart.getStyler().setXAxisMin(box[0]).setXAxisMax(box[1]).setYAxisMin(box[2]).setYAxisMax(box[3]);
        XYSeries d = chart.addSeries("data", column(data, 0), column(data, 1));
        d.setMarker(SeriesMarkers.CIRCLE);
        d.setMarkerColor(new Color(150, 150, 150, 120));
        XYSeries s = chart.addSeries("samples", column(samples, 0), column(samples, 1));
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(new Color(220, 60, 30, 150));
        write(png, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * {@link #samples} for a {@link dev.nabla.models.family.Scatter}; with a background (a GAN's
     * {@code D(x)}), the points over it: the grid's values coloured with viridis from the lowest to the
     * highest finite value (a colour bar names both), the data in grey, the samples in red, the axes
     * covering the grid's box.
     */
    public static void samples(Path png, String title, dev.nabla.models.family.Scatter scatter) {
        if (scatter.background() == null) {
            samples(png, title, scatter.data(), scatter.samples());
            return;
        }
        dev.nabla.models.family.DensityGrid grid = scatter.background();
        BufferedImage img = densityImage(new dev.nabla.models.family.DensityGrid(title, grid.xmin(), grid.xmax(),
                grid.ymin(), grid.ymax(), grid.nx(), grid.ny(), grid.logDensity()), grid.title(), false);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        int plot = 480;
        int left = 70;
        int top = 50;
        java.util.function.BiConsumer<float[], Color> draw = (points, colour) -> {
            g.setColor(colour);
            for (int i = 0; i + 1 < points.length; i += 2) {
                double x = (points[i] - grid.xmin()) / (grid.xmax() - grid.xmin());
                double y = (grid.ymax() - points[i + 1]) / (grid.ymax() - grid.ymin());
                if (x >= 0 && x <= 1 && y >= 0 && y <= 1) {
                    g.fillOval(left + (int) Math.round(x * plot) - 2, top + (int) Math.round(y * plot) - 2, 4, 4);
                }
            }
        };
        draw.accept(scatter.data(), new Color(215, 215, 215, 120));
        draw.accept(scatter.samples(), new Color(230, 40, 20, 170));
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        g.setColor(Color.DARK_GRAY);
        g.drawString("grey: data, red: samples", left + plot - 150, top + plot + 30);
        g.dispose();
        write(png, img);
    }

    /**
     * Curves of positive values against the step on a logarithmic axis ({@code nabla gradients}:
     * {@code ‖∂L/∂h_t‖} against {@code t}, one curve per cell); values that are 0 or not finite are left out.
     */
    public static void gradientNorms(Path png, String title, java.util.Map<String, double[]> curves) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step t")
                .yAxisTitle("||dL/dh_t|| (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        Color[] colours = {new Color(210, 60, 40), new Color(30, 90, 180), new Color(40, 150, 60), new Color(150, 60, 170)};
        int k = 0;
        for (var e : curves.entrySet()) {
            List<double[]> points = new java.util.ArrayList<>();
            double[] v = e.getValue();
            for (int t = 0; t < v.length; t++) {
                if (v[t] > 0 && Double.isFinite(v[t])) {
                    points.add(new double[] {t, v[t]});
                }
            }
            if (points.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(colours[k++ % colours.length]);
        }
        write(png, BitmapEncoder.getBufferedImage(chart));
    }

    /** Viridis at eight points, dark (low) to yellow (high). */
    private static final int[] VIRIDIS = {0x440154, 0x46327e, 0x365c8d, 0x277f8e, 0x1fa187, 0x4ac16d, 0xa0da39, 0xfde725};

    /** How far below the highest log-density the colour scale reaches, in nats. */
    static final double DENSITY_RANGE = 12;

    /**
     * A log-density heatmap: the grid's values coloured with viridis from {@code max − }{@value #DENSITY_RANGE}
     * (or the lowest finite value, if higher) to the highest finite value; lower and non-finite values
     * take the lowest colour (a density that underflows is the lowest; one that overflows, or a NaN, is
     * not trusted). With a title, the box's bounds on the axes and a colour bar.
     */
    public static void density(Path png, dev.nabla.models.family.DensityGrid grid) {
        write(png, densityImage(grid));
    }

    /** The colour scale {@code [low, high]} of a grid (what {@link #density} clamps to). */
    static double[] densityScale(float[] logDensity) {
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        for (float v : logDensity) {
            if (Float.isFinite(v)) {
                hi = Math.max(hi, v);
                lo = Math.min(lo, v);
            }
        }
        if (hi == Double.NEGATIVE_INFINITY) {
            return new double[] {0, 1};
        }
        lo = Math.max(lo, hi - DENSITY_RANGE);
        return new double[] {lo, hi > lo ? hi : lo + 1};
    }

    /** The lowest and highest finite values ({@code [0, 1]} when there is none, widened when they are equal). */
    static double[] valueScale(float[] values) {
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                hi = Math.max(hi, v);
                lo = Math.min(lo, v);
            }
        }
        if (hi == Double.NEGATIVE_INFINITY) {
            return new double[] {0, 1};
        }
        return new double[] {lo, hi > lo ? hi : lo + 1};
    }

    /** The viridis colour at {@code t ∈ [0, 1]} (clamped). */
    static int colour(double t) {
        double u = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
        int k = Math.min(VIRIDIS.length - 2, (int) u);
        double w = u - k;
        int a = VIRIDIS[k];
        int b = VIRIDIS[k + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - w) + ((b >> 16) & 255) * w);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - w) + ((b >> 8) & 255) * w);
        int bl = (int) Math.round((a & 255) * (1 - w) + (b & 255) * w);
        return (r << 16) | (g << 8) | bl;
    }

    static BufferedImage densityImage(dev.nabla.models.family.DensityGrid grid) {
        return densityImage(grid, "log p", true);
    }

    /**
     * The heatmap of {@code grid}; the colour bar is labelled {@code unit}; {@code logScale} clamps the scale
     * to {@value #DENSITY_RANGE} below the highest value (a log-density), else it spans all finite values.
     */
    static BufferedImage densityImage(dev.nabla.models.family.DensityGrid grid, String unit, boolean logScale) {
        int plot = 480;
        int left = 70;
        int top = 50;
        int bar = 20;
        BufferedImage img = new BufferedImage(HEIGHT, HEIGHT, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_TEXT_ANTIALIASING, java.awt.RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        double[] scale = logScale ? densityScale(grid.logDensity()) : valueScale(grid.logDensity());
        for (int py = 0; py < plot; py++) {
            int j = Math.min(grid.ny() - 1, py * grid.ny() / plot);
            for (int px = 0; px < plot; px++) {
                int i = Math.min(grid.nx() - 1, px * grid.nx() / plot);
                float v = grid.logDensity()[j * grid.nx() + i];
                double t = Float.isFinite(v) ? (v - scale[0]) / (scale[1] - scale[0]) : 0;
                img.setRGB(left + px, top + py, colour(t));
            }
        }
        for (int py = 0; py < plot; py++) {   // the colour bar, high at the top
            int c = colour(1 - (double) py / (plot - 1));
            for (int k = 0; k < bar; k++) {
                img.setRGB(left + plot + 15 + k, top + py, c);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left - 1, top - 1, plot + 1, plot + 1);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 15));
        g.drawString(grid.title(), left, 30);
        g.setFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 11));
        java.util.function.DoubleFunction<String> f = v -> String.format(java.util.Locale.ROOT, "%.2f", v);
        g.drawString(f.apply(grid.xmin()), left, top + plot + 16);
        String xmax = f.apply(grid.xmax());
        g.drawString(xmax, left + plot - g.getFontMetrics().stringWidth(xmax), top + plot + 16);
        g.drawString("x1", left + plot / 2 - 6, top + plot + 30);
        String ymax = f.apply(grid.ymax());
        g.drawString(ymax, left - 6 - g.getFontMetrics().stringWidth(ymax), top + 10);
        String ymin = f.apply(grid.ymin());
        g.drawString(ymin, left - 6 - g.getFontMetrics().stringWidth(ymin), top + plot);
        g.drawString("x2", left - 30, top + plot / 2);
        g.drawString(f.apply(scale[1]), left + plot + 15, top - 6);
        g.drawString(f.apply(scale[0]), left + plot + 15, top + plot + 16);
        g.drawString(unit, left + plot + 12, top + plot + 30);
        g.dispose();
        return img;
    }

    /** The trailing moving average of {@code y} over {@code window} values. */
    static double[] movingAverage(double[] y, int window) {
        double[] out = new double[y.length];
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += y[i];
            if (i >= window) {
                sum -= y[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /** {@code [xmin, xmax, ymin, ymax]} of the points, widened by 10 % (and never empty). */
    static double[] bounds(float[] points) {
        double[] b = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY};
        for (int i = 0; i + 1 < points.length; i += 2) {
            if (Float.isFinite(points[i]) && Float.isFinite(points[i + 1])) {
                b[0] = Math.min(b[0], points[i]);
                b[1] = Math.max(b[1], points[i]);
                b[2] = Math.min(b[2], points[i + 1]);
                b[3] = Math.max(b[3], points[i + 1]);
            }
        }
        if (b[0] > b[1]) {
            return new double[] {-1, 1, -1, 1};
        }
        for (int k = 0; k < 4; k += 2) {
            double pad = Math.max(1e-3, 0.1 * (b[k + 1] - b[k]));
            b[k] -= pad;
            b[k + 1] += pad;
        }
        return b;
    }

    private static double[] column(float[] points, int c) {
        double[] out = new double[points.length / 2];
        for (int i = 0; i < out.length; i++) {
            float v = points[2 * i + c];
            out[i] = Float.isFinite(v) ? v : Double.NaN;
        }
        return out;
    }

    private static double finiteOr(double v) {
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static void write(Path png, BufferedImage image) {
        // to a stream ImageIO would cache in a temporary file that it registers for deletion at exit,
        // which throws while the JVM shuts down (Ctrl-C writes the pictures then): cache in memory
        ImageIO.setUseCache(false);
        AtomicFiles.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this Java runtime");
            }
        });
    }
}
