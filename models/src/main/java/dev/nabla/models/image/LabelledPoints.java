package dev.nabla.models.image;

/**
 * Points in the plane with a class each, drawn as a scatter coloured by class ({@code latent.png}).
 *
 * @param title  what the points are ({@code "vae latent means, test images"})
 * @param xy     row-major {@code [n, 2]} coordinates
 * @param labels {@code n} class indices
 * @param names  the class names by index, for the legend (may be shorter than the largest label + 1)
 */
public record LabelledPoints(String title, float[] xy, int[] labels, java.util.List<String> names) {
    /** Checks the sizes agree. */
    public LabelledPoints {
        names = java.util.List.copyOf(names);
        if (xy.length != 2L * labels.length) {
            throw new IllegalArgumentException("LabelledPoints: " + xy.length + " coordinates for " + labels.length + " labels");
        }
    }

    /** The class names of Fashion-MNIST, by label. */
    public static final java.util.List<String> FASHION_MNIST_CLASSES = java.util.List.of("T-shirt/top", "Trouser",
            "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
}
