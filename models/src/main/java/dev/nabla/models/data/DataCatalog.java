package dev.nabla.models.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data sets every model family may use, by name, so families share them instead of each loading
 * its own copy:
 * <ul>
 *   <li>the 2-D toy densities of {@link ToyDatasets} ({@code moons}, {@code circles}, {@code 8gaussians},
 *       {@code pinwheel}, {@code 2spirals}, {@code checkerboard}): 10,000 training, 2,000 validation and
 *       2,000 test points generated from the seed, {@value Dataset#X} float32 {@code [2]};</li>
 *   <li>{@value #FASHION_MNIST}: {@link FashionMnist} from {@link #fashionMnistDir()}, the last 10,000
 *       training images held out for validation ({@value Dataset#X} float32 {@code [784]} in logit space,
 *       {@value Dataset#LABEL} int64);</li>
 *   <li>{@value #TINY_SHAKESPEARE}: Karpathy's 1.1 MB of Shakespeare, a text ({@link #text}) that a
 *       language model encodes with a {@link Vocabulary} and cuts into {@link TokenStream} windows of its
 *       own batch size and length. Read from {@code tinyshakespeare.txt} in {@link #dataDir()}.</li>
 * </ul>
 */
public final class DataCatalog {
    /** The Fashion-MNIST name. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** The Tiny Shakespeare name. */
    public static final String TINY_SHAKESPEARE = "tinyshakespeare";
    /** The system property naming the folder of file-based data sets. */
    public static final String DATA_DIR_PROPERTY = "nabla.data.dir";
    /** The environment variable naming it when the property is unset. */
    public static final String DATA_DIR_ENV = "NABLA_DATA";

    private static final Map<String, String> DESCRIPTIONS = descriptions();

    private DataCatalog() {
    }

    private static Map<String, String> descriptions() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : ToyDatasets.NAMES) {
            m.put(n, "2-D points, generated from the seed (10,000 / 2,000 / 2,000)");
        }
        m.put(FASHION_MNIST, "28x28 grey images, dequantised and logit-transformed (" + FashionMnist.DEFAULT_DIR + ")");
        m.put(TINY_SHAKESPEARE, "1.1 MB of Shakespeare as one text (tinyshakespeare.txt in the data folder)");
        return m;
    }

    /** Every name, in order. */
    public static List<String> names() {
        return new ArrayList<>(DESCRIPTIONS.keySet());
    }

    /** True if {@code name} is a catalog data set. */
    public static boolean contains(String name) {
        return DESCRIPTIONS.containsKey(name);
    }

    /** True if {@code name} is one of the 2-D toy sets. */
    public static boolean isToy(String name) {
        return ToyDatasets.NAMES.contains(name);
    }

    /**
     * What the data set is, in one line.
     *
     * @throws IllegalArgumentException naming the valid data sets for an unknown name
     */
    public static String describe(String name) {
        require(name);
        return DESCRIPTIONS.get(name);
    }

    /**
     * The training, validation and test sets of a point or image data set, drawn or dequantised from {@code seed}.
     *
     * @throws IllegalArgumentException naming the valid data sets for an unknown name, or saying that a
     *                                  text corpus has no fixed splits
     * @throws UncheckedIOException     naming the file when a file-based data set cannot be read
     */
    public static DataSplits splits(String name, long seed) {
        return splits(name, seed, 0);
    }

    /**
     * As {@link #splits(String, long)}, but a file-based image set ({@value #FASHION_MNIST}) keeps only the
     * first {@code limit} training images (a sixth of them, at least one, held out for validation) and
     * the first {@code limit} test images; {@code limit ≤ 0} keeps all (10,000 held out). The toy sets
     * ignore it.
     */
    public static DataSplits splits(String name, long seed, int limit) {
        require(name);
        if (isToy(name)) {
            return ToyDatasets.splits(name, seed);
        }
        if (FASHION_MNIST.equals(name)) {
            requireFashionMnist(fashionMnistDir());
            try {
                return limit > 0 ? FashionMnist.load(fashionMnistDir(), seed, limit, Math.max(1, limit / 6), limit)
                        : FashionMnist.load(fashionMnistDir(), seed, 0, 10_000, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(FASHION_MNIST + ": " + e.getMessage()
                        + " (Debian installs it with the package dataset-fashion-mnist; or put the four files in "
                        + dataDir().resolve(FASHION_MNIST) + ")", e);
            }
        }
        throw new IllegalArgumentException("data set '" + name + "' is a text; read it with DataCatalog.text and cut "
                + "it into TokenStream windows");
    }

    /**
     * Fashion-MNIST as pixel intensities in {@code [0, 1]} with labels ({@link FashionMnist#loadPixels}):
     * the last 10,000 training images held out for validation, or, with {@code limit > 0}, the first
     * {@code limit} training images (a sixth held out) and the first {@code limit} test images.
     *
     * @throws UncheckedIOException naming the path looked at and the Debian package that installs it
     */
    public static DataSplits fashionMnistPixels(int limit) {
        return fashionMnistPixels(fashionMnistDir(), limit);
    }

    /**
     * As {@link #fashionMnistPixels(int)}, from the folder {@code dir}.
     *
     * @throws IllegalArgumentException naming the path looked at and the Debian package
     *                                  {@code dataset-fashion-mnist} when the files are not there
     * @throws UncheckedIOException     naming the file when one cannot be read
     */
    public static DataSplits fashionMnistPixels(Path dir, int limit) {
        requireFashionMnist(dir);
        try {
            return limit > 0 ? FashionMnist.loadPixels(dir, limit, Math.max(1, limit / 6), limit)
                    : FashionMnist.loadPixels(dir, 0, 10_000, 0);
        } catch (IOException e) {
            throw new UncheckedIOException(FASHION_MNIST + ": " + e.getMessage()
                    + " (Debian installs it with the package dataset-fashion-mnist; or put the four files in "
                    + dataDir().resolve(FASHION_MNIST) + ")", e);
        }
    }

    /**
     * Refuses a folder without Fashion-MNIST's four files, in one line that names the path looked at and
     * the Debian package that installs them.
     *
     * @throws IllegalArgumentException if a file is missing
     */
    public static void requireFashionMnist(Path dir) {
        for (String f : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz")) {
            Path file = dir.resolve(f);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(FASHION_MNIST + " is not installed: no " + file
                        + " (install the Debian package dataset-fashion-mnist, or put the four files in "
                        + dataDir().resolve(FASHION_MNIST) + ")");
            }
        }
    }

    /**
     * The text of a text corpus ({@value #TINY_SHAKESPEARE}) from {@code dir}.
     *
     * @throws IllegalArgumentException for a name that is not a text corpus, or naming the missing file and
     *                                  how to point at its folder (a usage error: exit 2 in the CLI)
     * @throws UncheckedIOException     naming an unreadable file
     */
    public static String text(String name, Path dir) {
        require(name);
        if (!TINY_SHAKESPEARE.equals(name)) {
            throw new IllegalArgumentException("data set '" + name + "' is not a text; load it with DataCatalog.splits");
        }
        Path file = dir.resolve("tinyshakespeare.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(TINY_SHAKESPEARE + ": no file " + file.toAbsolutePath() + " (set "
                    + DATA_DIR_ENV + " or -D" + DATA_DIR_PROPERTY + " to the folder that holds tinyshakespeare.txt)");
        }
        try {
            return TokenStream.readText(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where Fashion-MNIST is read from: {@code fashion-mnist} in {@link #dataDir()} when it holds
     * {@code train-images-idx3-ubyte.gz}, else {@link FashionMnist#DEFAULT_DIR}.
     */
    public static Path fashionMnistDir() {
        Path own = dataDir().resolve(FASHION_MNIST);
        return Files.isRegularFile(own.resolve("train-images-idx3-ubyte.gz")) ? own : FashionMnist.DEFAULT_DIR;
    }

    /** The folder of file-based data sets: {@value #DATA_DIR_PROPERTY}, else {@value #DATA_DIR_ENV}, else {@code data}. */
    public static Path dataDir() {
        String p = System.getProperty(DATA_DIR_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(DATA_DIR_ENV);
        }
        return Path.of(p == null || p.isBlank() ? "data" : p);
    }

    private static void require(String name) {
        if (name == null || !DESCRIPTIONS.containsKey(name)) {
            throw new IllegalArgumentException("unknown data set '" + name + "'; valid: " + String.join(", ", names()));
        }
    }
}
