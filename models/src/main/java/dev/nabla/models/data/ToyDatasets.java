package dev.nabla.models.data;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.types.Shape;

import java.util.List;
import java.util.Locale;

/**
 * The 2-D toy densities of the flow literature, generated on the fly from a seed, with the scales of
 * FFJORD's {@code toy_data.py} (which normflows and most papers reuse):
 *
 * <ul>
 *   <li>{@code moons}: scikit-learn's two moons with Gaussian noise σ = 0.1, then {@code 2·p + (−1, −0.2)}.</li>
 *   <li>{@code circles}: two concentric circles of radius 1 and 0.5 with noise σ = 0.08, times 3.</li>
 *   <li>{@code 8gaussians}: eight Gaussians (σ = 0.5) centred on a circle of radius 4 (4 on the axes and
 *       the diagonals), all divided by 1.414.</li>
 *   <li>{@code pinwheel}: five arms; radial σ = 0.3, tangential σ = 0.1, rate 0.25, times 2.</li>
 *   <li>{@code 2spirals}: two interleaved spirals of 540°, divided by 3, plus noise σ = 0.1.</li>
 *   <li>{@code checkerboard}: uniform on the 8 dark squares of a 4×4 board on {@code [−4, 4]²}.</li>
 * </ul>
 *
 * <p>Where scikit-learn spaces the moon and circle angles evenly, these draw them uniformly (and the
 * component uniformly), so every example is an independent draw. Everything is a deterministic
 * function of the seed.
 */
public final class ToyDatasets {
    /** The names {@link #sample} and {@link #splits} accept. */
    public static final List<String> NAMES = List.of("moons", "circles", "8gaussians", "pinwheel", "2spirals",
            "checkerboard");

    private ToyDatasets() {
    }

    /**
     * {@code n} points of the named set, row-major {@code [n, 2]}.
     *
     * @throws IllegalArgumentException naming the valid sets for an unknown name
     */
    public static float[] sample(String name, int n, Generator g) {
        if (n < 0) {
            throw new IllegalArgumentException("ToyDatasets: n must be >= 0, got " + n);
        }
        String key = name == null ? "" : name.toLowerCase(Locale.ROOT);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] p = switch (key) {
                case "moons" -> moon(g);
                case "circles" -> circle(g);
                case "8gaussians" -> eightGaussians(g);
                case "pinwheel" -> pinwheel(g);
                case "2spirals" -> spiral(g);
                case "checkerboard" -> checkerboard(g);
                default -> throw new IllegalArgumentException("unknown data set '" + name + "'; valid: "
                        + String.join(", ", NAMES));
            };
            out[2 * i] = (float) p[0];
            out[2 * i + 1] = (float) p[1];
        }
        return out;
    }

    /** {@code n} points of the named set as a data set of {@code [2]} examples. */
    public static ArrayDataset dataset(String name, int n, Generator g) {
        return new ArrayDataset(sample(name, n, g), Shape.of(2), null);
    }

    /**
     * Train, validation and test sets of the named set, each drawn with its own generator split from
     * {@code new Generator(seed)}: the same seed gives the same three sets.
     */
    public static DataSplits splits(String name, int train, int validation, int test, long seed) {
        Generator root = new Generator(seed);
        Generator gTrain = root.split();
        Generator gVal = root.split();
        Generator gTest = root.split();
        return new DataSplits(dataset(name, train, gTrain), dataset(name, validation, gVal), dataset(name, test, gTest));
    }

    /** 10,000 training, 2,000 validation and 2,000 test points. */
    public static DataSplits splits(String name, long seed) {
        return splits(name, 10_000, 2_000, 2_000, seed);
    }

    private static double[] moon(Generator g) {
        double t = Math.PI * g.nextDouble();
        double x;
        double y;
        if (g.nextDouble() < 0.5) {
            x = Math.cos(t);
            y = Math.sin(t);
        } else {
            x = 1 - Math.cos(t);
            y = 1 - Math.sin(t) - 0.5;
        }
        x += 0.1 * g.nextGaussian();
        y += 0.1 * g.nextGaussian();
        return new double[] {2 * x - 1, 2 * y - 0.2};
    }

    private static double[] circle(Generator g) {
        double t = 2 * Math.PI * g.nextDouble();
        double r = g.nextDouble() < 0.5 ? 1.0 : 0.5;
        double x = r * Math.cos(t) + 0.08 * g.nextGaussian();
        double y = r * Math.sin(t) + 0.08 * g.nextGaussian();
        return new double[] {3 * x, 3 * y};
    }

    private static final double[][] CENTERS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1},
            {1 / Math.sqrt(2), 1 / Math.sqrt(2)}, {1 / Math.sqrt(2), -1 / Math.sqrt(2)},
            {-1 / Math.sqrt(2), 1 / Math.sqrt(2)}, {-1 / Math.sqrt(2), -1 / Math.sqrt(2)}};

    private static double[] eightGaussians(Generator g) {
        double[] c = CENTERS[(int) g.nextLong(8)];
        double x = 0.5 * g.nextGaussian() + 4 * c[0];
        double y = 0.5 * g.nextGaussian() + 4 * c[1];
        return new double[] {x / 1.414, y / 1.414};
    }

    private static double[] pinwheel(Generator g) {
        int classes = 5;
        int label = (int) g.nextLong(classes);
        double f0 = 0.3 * g.nextGaussian() + 1;
        double f1 = 0.1 * g.nextGaussian();
        double angle = 2 * Math.PI * label / classes + 0.25 * Math.exp(f0);
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        return new double[] {2 * (f0 * c + f1 * s), 2 * (-f0 * s + f1 * c)};
    }

    private static double[] spiral(Generator g) {
        double n = Math.sqrt(g.nextDouble()) * 540 * (2 * Math.PI) / 360;
        double x = -Math.cos(n) * n + g.nextDouble() * 0.5;
        double y = Math.sin(n) * n + g.nextDouble() * 0.5;
        if (g.nextDouble() < 0.5) {
            x = -x;
            y = -y;
        }
        return new double[] {x / 3 + 0.1 * g.nextGaussian(), y / 3 + 0.1 * g.nextGaussian()};
    }

    private static double[] checkerboard(Generator g) {
        double x1 = g.nextDouble() * 4 - 2;
        double x2 = g.nextDouble() - 2 * g.nextLong(2);
        x2 += Math.floorMod((long) Math.floor(x1), 2L);
        return new double[] {2 * x1, 2 * x2};
    }
}
