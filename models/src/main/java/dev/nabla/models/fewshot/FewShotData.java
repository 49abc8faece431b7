package dev.nabla.models.fewshot;

import dev.nabla.api.types.Shape;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The few-shot data set {@value #NAME}: Fashion-MNIST's grey levels in {@code [0, 1]}
 * ({@link DataCatalog#fashionMnistPixels}) with its ten classes split, once and for all, into six
 * training classes and four held-out classes:
 * <ul>
 *   <li>training classes {@code 0–5}: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal — the training
 *       split is their images among the first 50,000 training images, the validation split their images
 *       among the last 10,000 (new images of the same classes);</li>
 *   <li>held-out classes {@code 6–9}: Shirt, Sneaker, Bag, Ankle boot — the test split is their images in
 *       the 10,000 test images (4,000 images); no training or validation episode ever draws them.</li>
 * </ul>
 * Episodes are drawn from a split by {@link Episodes}. Missing files are a usage error naming the path.
 */
public final class FewShotData {
    /** The data set's name. */
    public static final String NAME = "fmnist-fewshot";
    /** The training classes. */
    public static final List<Integer> TRAIN_CLASSES = List.of(0, 1, 2, 3, 4, 5);
    /** The held-out classes. */
    public static final List<Integer> HELD_OUT_CLASSES = List.of(6, 7, 8, 9);
    /** Fashion-MNIST's class names, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FewShotData() {
    }

    /** The splits, as the class comment says (the seed is unused: the data are the files). */
    public static DataSplits load(long seed, Map<String, Object> keys) {
        DataSplits all = DataCatalog.fashionMnistPixels(0);
        return new DataSplits(only(all.train(), TRAIN_CLASSES), only(all.validation(), TRAIN_CLASSES),
                only(all.test(), HELD_OUT_CLASSES));
    }

    /** The held-out test split alone (what {@code nabla sample} draws an episode from). */
    public static ArrayDataset heldOut() {
        return (ArrayDataset) load(0, Map.of()).test();
    }

    /** What a model is told about the data: the image size and the two class lists. */
    public static Map<String, Object> describe(DataSplits data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", 28L);
        m.put("width", 28L);
        m.put("train_classes", TRAIN_CLASSES.stream().map(Integer::longValue).toList());
        m.put("held_out_classes", HELD_OUT_CLASSES.stream().map(Integer::longValue).toList());
        return m;
    }

    /**
     * The images of {@code data} (an {@link ArrayDataset} with labels) whose class is in {@code classes}.
     *
     * @throws IllegalArgumentException if the data carry no labels
     */
    public static ArrayDataset only(Dataset data, List<Integer> classes) {
        if (!(data instanceof ArrayDataset a) || !a.hasLabels()) {
            throw new IllegalArgumentException(NAME + ": needs labelled images, got " + data.getClass().getSimpleName()
                    + " with " + data.names());
        }
        int d = (int) a.itemShape().size();
        int[] keep = IntStream.range(0, a.size()).filter(i -> classes.contains(a.labels()[i])).toArray();
        float[] v = new float[keep.length * d];
        int[] l = new int[keep.length];
        for (int i = 0; i < keep.length; i++) {
            System.arraycopy(a.values(), keep[i] * d, v, i * d, d);
            l[i] = a.labels()[keep[i]];
        }
        return new ArrayDataset(v, Shape.of(a.itemShape().dims()), l);
    }

    /** The episodes of a labelled {@link ArrayDataset} of 28×28 images. */
    public static Episodes episodes(Dataset data) {
        if (!(data instanceof ArrayDataset a) || !a.hasLabels() || a.itemShape().size() != 784) {
            throw new IllegalArgumentException("snail: needs labelled 28x28 images, got examples of "
                    + data.exampleShape(Dataset.X) + " with " + data.names());
        }
        return new Episodes(a.values(), 784, a.labels());
    }

    /** The name of a class, or its number. */
    static String className(int c) {
        return c >= 0 && c < CLASS_NAMES.size() ? CLASS_NAMES.get(c) : "class " + c;
    }

    static String classes(int[] c) {
        return Arrays.toString(c);
    }
}
