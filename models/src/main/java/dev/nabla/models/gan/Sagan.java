package dev.nabla.models.gan;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.family.Samples;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.BatchNorm;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Reshape;
import dev.nabla.models.nn.SelfAttention2d;
import dev.nabla.models.nn.Sequential;
import dev.nabla.models.nn.SpectralNorm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Self-Attention GAN (Zhang, Goodfellow, Metaxas and Odena 2018) for 28 × 28 grey images, {@code c} =
 * {@code channels}: {@link DcGan}'s shapes with every (transposed) convolution spectrally normalised
 * ({@link SpectralNorm}, in both players, as the paper does) and a {@link SelfAttention2d} block (also
 * spectrally normalised, γ = 0 at the start) on the 14 × 14 feature maps of both:
 * <pre>
 *   G: z [n, latent] → [n, latent, 1, 1] → SN-ConvT(latent → 4c, 7, s1, p0) → BN → ReLU      7 × 7
 *                    → SN-ConvT(4c → 2c, 4, s2, p1) → BN → ReLU                               14 × 14
 *                    → SelfAttention(2c)                                                      14 × 14
 *                    → SN-ConvT(2c → 1, 4, s2, p1) → tanh                                     28 × 28
 *   D: x [n, 1, 28, 28] → SN-Conv(1 → 2c, 4, s2, p1) → LeakyReLU(0.1)                          14 × 14
 *                       → SelfAttention(2c)                                                   14 × 14
 *                       → SN-Conv(2c → 4c, 4, s2, p1) → LeakyReLU(0.1)                         7 × 7
 *                       → SN-Conv(4c → 1, 7, s1, p0) → [n, 1]                                 score
 * </pre>
 * The discriminator has no BatchNorm: spectral normalisation is its regulariser (the generator keeps
 * BatchNorm, as in the paper). It is trained with the hinge loss ({@link GanLoss#HINGE}) and two time-scale
 * learning rates (TTUR: {@code lr_d} 4e-4, {@code lr_g} 1e-4, Adam β1 = 0, β2 = 0.9; {@link GanFamily}'s
 * defaults for {@code sagan}). The model's space is {@code [−1, 1]}, as {@link DcGan}'s.
 *
 * <p>{@link #generateWithAttention} returns the generator's attention maps {@code β [n, 196, 196]} beside the
 * images, and {@link #attentionFigure} draws them for chosen query pixels ({@code nabla sample --queries}).
 */
public final class Sagan extends Gan {
    /** The image side. */
    public static final int SIDE = DcGan.SIDE;
    /** The side of the feature maps the attention blocks see. */
    public static final int ATTENTION_SIDE = 14;
    /** The slope of the discriminator's leaky ReLUs. */
    public static final double LEAKY_SLOPE = 0.1;
    /** The most images {@link #attentionFigure} draws (one row each). */
    public static final int MAX_FIGURE_ROWS = 8;

    /**
     * @param latent   size of {@code z}
     * @param channels {@code c}
     */
    public Sagan(TensorFactory f, Generator random, int latent, int channels) {
        super(latent, new AttentionNet(
                new Sequential(new Reshape(latent, 1, 1),
                        SpectralNorm.convTranspose2d(f, random, latent, 4 * channels, 7, 1, 0, 0), new BatchNorm(f, 4 * channels),
                        Activation.of("relu"),
                        SpectralNorm.convTranspose2d(f, random, 4 * channels, 2 * channels, 4, 2, 1, 0),
                        new BatchNorm(f, 2 * channels), Activation.of("relu")),
                new SelfAttention2d(f, random, 2 * channels, true),
                new Sequential(SpectralNorm.convTranspose2d(f, random, 2 * channels, 1, 4, 2, 1, 0), Activation.of("tanh"))),
                new AttentionNet(
                        new Sequential(SpectralNorm.conv2d(f, random, 1, 2 * channels, 4, 2, 1), new DcGan.LeakyRelu(LEAKY_SLOPE)),
                        new SelfAttention2d(f, random, 2 * channels, true),
                        new Sequential(SpectralNorm.conv2d(f, random, 2 * channels, 4 * channels, 4, 2, 1),
                                new DcGan.LeakyRelu(LEAKY_SLOPE), SpectralNorm.conv2d(f, random, 4 * channels, 1, 7, 1, 0),
                                new Reshape(1))));
    }

    /**
     * A network with a self-attention block in the middle: {@code tail(attention(head(x)))}, children
     * {@code head}, {@code attention}, {@code tail}; {@link #attend} returns the attention map too.
     */
    static final class AttentionNet extends Block implements Layer {
        private final Layer head;
        private final SelfAttention2d attention;
        private final Layer tail;

        AttentionNet(Layer head, SelfAttention2d attention, Layer tail) {
            this.head = childLayer("head", head);
            this.attention = child("attention", attention);
            this.tail = childLayer("tail", tail);
        }

        /** The output and the attention map of the middle block. */
        AttentionResult attend(Tensor x) {
            AttentionResult r = attention.attend(head.forward(x));
            return new AttentionResult(tail.forward(r.output()), r.weights());
        }

        SelfAttention2d attention() {
            return attention;
        }

        @Override
        public Tensor forward(Tensor x) {
            return tail.forward(attention.forward(head.forward(x)));
        }

        @Override
        public String toString() {
            return "AttentionNet(" + head + ", " + attention + ", " + tail + ")";
        }
    }

    /** The generator's self-attention block. */
    public SelfAttention2d generatorAttention() {
        return ((AttentionNet) generator()).attention();
    }

    /** The discriminator's self-attention block. */
    public SelfAttention2d discriminatorAttention() {
        return ((AttentionNet) discriminator()).attention();
    }

    /**
     * {@code G(z)} and the generator's attention map {@code β [n, 196, 196]} over its 14 × 14 feature map
     * (row {@code j = row·14 + col} is query position {@code j}'s distribution over the positions).
     */
    public AttentionResult generateWithAttention(Tensor z) {
        return ((AttentionNet) generator()).attend(z);
    }

    @Override
    public Tensor toModel(Tensor data) {
        return data.reshape(data.dim(0), 1, SIDE, SIDE).mul(2.0).sub(1.0);
    }

    @Override
    public Tensor toData(Tensor generated) {
        return generated.add(1.0).mul(0.5).reshape(generated.dim(0), SIDE * SIDE);
    }

    /**
     * Query pixels from {@code ROW,COL;ROW,COL;…} (0-based, in the 28 × 28 image; {@code /} separates too).
     *
     * @throws IllegalArgumentException naming a malformed or out-of-range query
     */
    public static List<int[]> parseQueries(String text) {
        List<int[]> out = new ArrayList<>();
        for (String part : text.strip().split("[;/ ]+")) {
            String[] rc = part.split(",");
            try {
                if (rc.length != 2) {
                    throw new NumberFormatException();
                }
                int r = Integer.parseInt(rc[0].strip());
                int c = Integer.parseInt(rc[1].strip());
                if (r < 0 || r >= SIDE || c < 0 || c >= SIDE) {
                    throw new IllegalArgumentException("sample: --queries query '" + part + "' is outside the "
                            + SIDE + " x " + SIDE + " image (rows and columns 0 to " + (SIDE - 1) + ")");
                }
                out.add(new int[] {r, c});
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sample: --queries takes query pixels ROW,COL separated by ';' or '/',"
                        + " e.g. 7,14;14,14;21,8; got '" + part + "'");
            }
        }
        if (out.isEmpty() || out.size() > 8) {
            throw new IllegalArgumentException("sample: --queries takes 1 to 8 query pixels, got " + out.size());
        }
        return out;
    }

    /**
     * The attention figure, one grey picture (a single {@link Samples.Images} entry): for each of {@code rows}
     * generated images (at most {@value #MAX_FIGURE_ROWS}) a row of tiles — the image with the query pixels
     * marked by hollow squares, then one tile per query with {@code β_{j,·}}, the generator's attention of
     * that query's 14 × 14 position over the feature map, scaled so its largest weight is white and drawn at
     * the image's scale, the query marked. Tiles are {@code 2 × 28} pixels, 4 apart. Drawn in evaluation mode
     * without recording gradients.
     */
    public Samples.Images attentionFigure(int rows, Generator random, List<int[]> queries) {
        int n = Math.max(1, Math.min(rows, MAX_FIGURE_ROWS));
        int scale = 2;
        int tile = SIDE * scale;
        int gap = 4;
        int cols = 1 + queries.size();
        int width = cols * tile + (cols + 1) * gap;
        int height = n * tile + (n + 1) * gap;
        float[] canvas = new float[width * height];
        java.util.Arrays.fill(canvas, 1f);
        boolean training = isTraining();
        eval();
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            AttentionResult r = generateWithAttention(noise(random, n));
            float[] images = toData(r.output()).toFloatArray();
            int positions = ATTENTION_SIDE * ATTENTION_SIDE;
            float[] beta = r.weights().toFloatArray();
            int cell = SIDE / ATTENTION_SIDE;
            for (int k = 0; k < n; k++) {
                int y0 = gap + k * (tile + gap);
                float[] img = new float[SIDE * SIDE];
                System.arraycopy(images, k * SIDE * SIDE, img, 0, img.length);
                paint(canvas, width, gap, y0, scale, img);
                for (int q = 0; q < queries.size(); q++) {
                    int[] p = queries.get(q);
                    int j = (p[0] / cell) * ATTENTION_SIDE + p[1] / cell;
                    float max = 0;
                    for (int i = 0; i < positions; i++) {
                        max = Math.max(max, beta[(k * positions + j) * positions + i]);
                    }
                    float[] map = new float[SIDE * SIDE];
                    for (int y = 0; y < SIDE; y++) {
                        for (int x = 0; x < SIDE; x++) {
                            float b = beta[(k * positions + j) * positions + (y / cell) * ATTENTION_SIDE + x / cell];
                            map[y * SIDE + x] = max > 0 ? b / max : 0;
                        }
                    }
                    int x0 = gap + (q + 1) * (tile + gap);
                    paint(canvas, width, x0, y0, scale, map);
                    mark(canvas, width, x0, y0, scale, p, 0.5f);
                    mark(canvas, width, gap, y0, scale, p, q % 2 == 0 ? 1f : 0f);
                }
            }
        } finally {
            train(training);
        }
        return new Samples.Images(canvas, 1, height, width);
    }

    private static void paint(float[] canvas, int width, int x0, int y0, int scale, float[] img) {
        for (int y = 0; y < SIDE * scale; y++) {
            for (int x = 0; x < SIDE * scale; x++) {
                canvas[(y0 + y) * width + x0 + x] = img[(y / scale) * SIDE + x / scale];
            }
        }
    }

    /** A hollow square of grey {@code value} around the query pixel's cell of the feature map. */
    private static void mark(float[] canvas, int width, int x0, int y0, int scale, int[] p, float value) {
        int cell = SIDE / ATTENTION_SIDE * scale;
        int top = y0 + (p[0] / (SIDE / ATTENTION_SIDE)) * cell - 1;
        int left = x0 + (p[1] / (SIDE / ATTENTION_SIDE)) * cell - 1;
        int size = cell + 2;
        int h = canvas.length / width;
        for (int d = 0; d < size; d++) {
            set(canvas, width, h, left + d, top, value);
            set(canvas, width, h, left + d, top + size - 1, value);
            set(canvas, width, h, left, top + d, value);
            set(canvas, width, h, left + size - 1, top + d, value);
        }
    }

    private static void set(float[] canvas, int width, int height, int x, int y, float value) {
        if (x >= 0 && x < width && y >= 0 && y < height) {
            canvas[y * width + x] = value;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Sagan(latent %d)", latent());
    }
}
