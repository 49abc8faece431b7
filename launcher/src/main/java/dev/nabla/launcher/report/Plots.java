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
 * over the data, and grids of image samples. Each file is written atomically ({@link AtomicFiles}).
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
        int n = Math.max(1, images.count());
        int cols = (int) Math.ceil(Math.sqrt(n));
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
     * The loss curve: the training loss per step (faint), its moving average, the moving average of each
     * named part of the loss, and the validation losses (markers); {@code lossName} labels the vertical axis.
     */
    public static void lossCurve(Path png, String title, String lossName, RunHistory history) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("step")
                .yAxisTitle(lossName).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setXAxisDecimalPattern("#,##0");
        List<RunHistory.Point> train = history.train();
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
        List<RunHistory.Point> val = history.validation();
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
        write(png, BitmapEncoder.getBufferedImage(chart));
    }

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
