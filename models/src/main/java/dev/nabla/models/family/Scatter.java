package dev.nabla.models.family;

/**
 * Model points drawn over data points in the plane ({@code samples.png}).
 *
 * @param title   what the model points are ({@code "realnvp samples"})
 * @param data    row-major {@code [n, 2]} data points
 * @param samples row-major {@code [m, 2]} model points
 */
public record Scatter(String title, float[] data, float[] samples) {
    /** Checks both are 2-D points. */
    public Scatter {
        if (data.length % 2 != 0 || samples.length % 2 != 0) {
            throw new IllegalArgumentException("Scatter: points must be [n, 2]");
        }
    }
}
