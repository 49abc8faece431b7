package dev.nabla.models.family;

/**
 * Model points drawn over data points in the plane ({@code samples.png}), optionally over a surface of
 * values (a GAN's discriminator {@code D(x)}) drawn behind them.
 *
 * @param title      what the model points are ({@code "realnvp samples"})
 * @param data       row-major {@code [n, 2]} data points
 * @param samples    row-major {@code [m, 2]} model points
 * @param background values over a grid drawn behind the points (its {@link DensityGrid#title()} names
 *                   them, coloured from the lowest to the highest), or null for none
 */
public record Scatter(String title, float[] data, float[] samples, DensityGrid background) {
    /** Checks both are 2-D points. */
    public Scatter {
        if (data.length % 2 != 0 || samples.length % 2 != 0) {
            throw new IllegalArgumentException("Scatter: points must be [n, 2]");
        }
    }

    /** Points without a background. */
    public Scatter(String title, float[] data, float[] samples) {
        this(title, data, samples, null);
    }
}
