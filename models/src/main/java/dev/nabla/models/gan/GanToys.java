package dev.nabla.models.gan;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.family.DataSpec;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The 2-D mixtures of Gaussians of the GAN family, with the centres and the standard deviation the
 * {@link ModeCoverage} metric needs:
 * <ul>
 *   <li>{@value #EIGHT}: {@link ToyDatasets}' 8 Gaussians on a ring (the flows train on the same points):
 *       centres {@code 4/√2·(cos θ, sin θ)}, {@code θ = 0, 45°, …}, {@code σ = 0.5/√2};</li>
 *   <li>{@value #GRID}: a 5 × 5 grid, centres {@code (2i, 2j)}, {@code i, j ∈ {−2, …, 2}}, {@code σ = 0.05}
 *       (VEEGAN's and PacGAN's grid).</li>
 * </ul>
 * Each has 10,000 training, 2,000 validation and 2,000 test points, drawn from the run's seed.
 */
public final class GanToys {
    /** The ring. */
    public static final String EIGHT = "8gaussians";
    /** The grid. */
    public static final String GRID = "25gaussians";

    /**
     * A mixture's modes.
     *
     * @param centres the centres, {@code [K][2]}
     * @param sigma   the standard deviation of each
     */
    public record Modes(double[][] centres, double sigma) {
        /** The coverage of {@code samples} of these modes. */
        public ModeCoverage coverage(float[] samples) {
            return ModeCoverage.of(samples, centres, sigma);
        }
    }

    /** The ring's modes. */
    public static final Modes EIGHT_MODES = ring();
    /** The grid's modes. */
    public static final Modes GRID_MODES = grid();

    private GanToys() {
    }

    private static Modes ring() {
        double[][] c = new double[8][];
        double r = 4 / 1.414;
        for (int i = 0; i < 8; i++) {
            double t = i * Math.PI / 4;
            c[i] = new double[] {r * Math.cos(t), r * Math.sin(t)};
        }
        return new Modes(c, 0.5 / 1.414);
    }

    private static Modes grid() {
        double[][] c = new double[25][];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                c[5 * i + j] = new double[] {2 * (i - 2), 2 * (j - 2)};
            }
        }
        return new Modes(c, 0.05);
    }

    /** The modes of toy data set {@code name}, or null for a data set of images. */
    public static Modes modes(String name) {
        return switch (name) {
            case EIGHT -> EIGHT_MODES;
            case GRID -> GRID_MODES;
            default -> null;
        };
    }

    /** {@code n} points of the grid drawn with {@code g}. */
    public static float[] gridPoints(int n, Generator g) {
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] c = GRID_MODES.centres()[(int) g.nextLong(25)];
            out[2 * i] = (float) (c[0] + GRID_MODES.sigma() * g.nextGaussian());
            out[2 * i + 1] = (float) (c[1] + GRID_MODES.sigma() * g.nextGaussian());
        }
        return out;
    }

    /** The splits of data set {@code name}. */
    public static DataSplits splits(String name, long seed) {
        if (EIGHT.equals(name)) {
            return ToyDatasets.splits(EIGHT, seed);
        }
        Generator root = new Generator(seed);
        Generator train = root.split();
        Generator validation = root.split();
        Generator test = root.split();
        return new DataSplits(new ArrayDataset(gridPoints(10_000, train), Shape.of(2), null),
                new ArrayDataset(gridPoints(2_000, validation), Shape.of(2), null),
                new ArrayDataset(gridPoints(2_000, test), Shape.of(2), null));
    }

    /** Both as data specs, described by {@code dim} 2. */
    public static List<DataSpec> specs() {
        return List.of(spec(EIGHT), spec(GRID));
    }

    private static DataSpec spec(String name) {
        return new DataSpec(name, Set.of(), (seed, keys) -> splits(name, seed), data -> Map.of("dim", 2L));
    }
}
