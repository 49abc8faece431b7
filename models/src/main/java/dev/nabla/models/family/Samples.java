package dev.nabla.models.family;

import java.util.List;

/**
 * What {@code nabla sample} shows, by kind: points as CSV ({@link Points}), text ({@link Text}) or a
 * grid of images written as a PNG ({@link Images}).
 */
public sealed interface Samples permits Samples.Points, Samples.Text, Samples.Images {
    /**
     * Rows of numbers, written as CSV with a header.
     *
     * @param columns the column names ({@code x1, x2, log_prob})
     * @param values  row-major values, {@code rows × columns.size()}
     */
    record Points(List<String> columns, float[] values) implements Samples {
        /** Checks the values make whole rows. */
        public Points {
            columns = List.copyOf(columns);
            if (columns.isEmpty() || values.length % columns.size() != 0) {
                throw new IllegalArgumentException("Samples.Points: " + values.length + " values do not make rows of "
                        + columns.size() + " columns");
            }
        }

        /** The number of rows. */
        public int rows() {
            return values.length / columns.size();
        }
    }

    /**
     * Text samples, one per entry (generated text, translations).
     *
     * @param texts the samples
     */
    record Text(List<String> texts) implements Samples {
        /** Copies the list. */
        public Text {
            texts = List.copyOf(texts);
        }
    }

    /**
     * Grey images with values in {@code [0, 1]}, drawn as a grid.
     *
     * @param pixels row-major {@code count × height × width} values
     * @param count  the number of images
     * @param height the height of one image
     * @param width  the width of one image
     */
    record Images(float[] pixels, int count, int height, int width) implements Samples {
        /** Checks the sizes agree. */
        public Images {
            if (count < 0 || height < 1 || width < 1 || pixels.length != (long) count * height * width) {
                throw new IllegalArgumentException("Samples.Images: " + pixels.length + " pixels are not " + count
                        + " images of " + height + "x" + width);
            }
        }
    }
}
