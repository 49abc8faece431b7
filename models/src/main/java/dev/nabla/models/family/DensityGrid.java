package dev.nabla.models.family;

/**
 * A model's log-density over a grid of points in the plane ({@code density.png}): {@code nx × ny}
 * values, row-major from the top row ({@code y = ymax}) down, each at the centre of its cell of the box
 * {@code [xmin, xmax] × [ymin, ymax]}. A value may be non-finite where the model's density under- or
 * overflows; whoever draws it clamps those.
 *
 * @param title      what is shown ({@code "maf log-density"})
 * @param xmin       the box's left edge
 * @param xmax       its right edge
 * @param ymin       its bottom edge
 * @param ymax       its top edge
 * @param nx         cells across
 * @param ny         cells down
 * @param logDensity {@code ny × nx} values of {@code log p(x)}
 */
public record DensityGrid(String title, double xmin, double xmax, double ymin, double ymax, int nx, int ny,
                          float[] logDensity) {
    /** Checks the sizes agree and the box is not empty. */
    public DensityGrid {
        if (nx < 1 || ny < 1 || logDensity.length != (long) nx * ny || !(xmax > xmin) || !(ymax > ymin)) {
            throw new IllegalArgumentException("DensityGrid: " + logDensity.length + " values are not a grid of " + nx
                    + "x" + ny + " over [" + xmin + ", " + xmax + "] x [" + ymin + ", " + ymax + "]");
        }
    }

    /** The centre of column {@code i}. */
    public double x(int i) {
        return xmin + (i + 0.5) * (xmax - xmin) / nx;
    }

    /** The centre of row {@code j} (row 0 at the top). */
    public double y(int j) {
        return ymax - (j + 0.5) * (ymax - ymin) / ny;
    }
}
