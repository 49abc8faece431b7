package dev.nabla.models.memory;

import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * One copy-task run drawn as a grey image over time, one column of {@value #COLUMN} pixels per step, panels
 * from top to bottom separated by grey bands: the input (8 bits and the delimiter), the target, the output
 * probabilities {@code σ(z)} (rows of {@value #BIT_ROW} pixels per bit) and, when given, the write and the
 * read weighting (one row per memory location, location 0 at the top). Black is 0, white is 1.
 *
 * @param pixels row-major grey values in {@code [0, 1]}
 * @param height rows of pixels
 * @param width  columns of pixels
 */
record WeightingPicture(float[] pixels, int height, int width) {
    /** Pixels per time step. */
    static final int COLUMN = 10;
    /** Pixels per bit row. */
    static final int BIT_ROW = 10;
    /** Pixels of a grey band between panels. */
    static final int BAND = 6;
    /** The grey of a band. */
    static final float GREY = 0.5f;

    /**
     * The picture of one sequence.
     *
     * @param input   {@code [1, T, 9]}
     * @param target  {@code [1, T, 8]}
     * @param output  {@code [1, T, 8]} probabilities
     * @param writes  {@code [1, T, N]} or null
     * @param reads   {@code [1, T, N]} or null
     */
    static WeightingPicture of(Tensor input, Tensor target, Tensor output, Tensor writes, Tensor reads) {
        List<float[]> panels = new ArrayList<>();
        List<int[]> sizes = new ArrayList<>();   // (rows, pixels per row)
        int t = input.dim(1);
        for (Tensor p : new Tensor[] {input, target, output, writes, reads}) {
            if (p == null) {
                continue;
            }
            int rows = p.dim(2);
            panels.add(p.toFloatArray());
            sizes.add(new int[] {rows, p == writes || p == reads ? Math.max(1, Math.min(BIT_ROW, 384 / rows)) : BIT_ROW});
        }
        int width = t * COLUMN;
        int height = BAND * (panels.size() - 1);
        for (int[] s : sizes) {
            height += s[0] * s[1];
        }
        float[] px = new float[height * width];
        int y = 0;
        for (int k = 0; k < panels.size(); k++) {
            if (k > 0) {
                java.util.Arrays.fill(px, y * width, (y + BAND) * width, GREY);
                y += BAND;
            }
            float[] v = panels.get(k);
            int rows = sizes.get(k)[0];
            int rh = sizes.get(k)[1];
            for (int r = 0; r < rows; r++) {
                for (int yy = 0; yy < rh; yy++) {
                    for (int step = 0; step < t; step++) {
                        float value = Math.max(0, Math.min(1, v[step * rows + r]));
                        java.util.Arrays.fill(px, (y + yy) * width + step * COLUMN, (y + yy) * width + (step + 1) * COLUMN,
                                value);
                    }
                }
                y += rh;
            }
        }
        return new WeightingPicture(px, height, width);
    }
}
