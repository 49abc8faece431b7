package dev.nabla.api.tensor;

import dev.nabla.api.backend.AdamKernel;
import dev.nabla.api.backend.AttentionKernel;
import dev.nabla.api.backend.BatchNormKernel;
import dev.nabla.api.backend.Conv2dKernel;
import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.LayerNormKernel;
import dev.nabla.api.backend.LeakyReluKernel;
import dev.nabla.api.backend.LinearKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.LstmCellKernel;
import dev.nabla.api.backend.ReluGradKernel;
import dev.nabla.api.backend.StridedAttentionKernel;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The catalog of fused operations: for each kind of {@link FusedKernel} the tensor layer uses, a
 * {@link FusedOp} with its fused and composed forms. A backend offers kernels through
 * {@link dev.nabla.api.backend.FusedKernels}; the conformance kit looks each offered kind up here and
 * checks the two forms against each other.
 *
 * <p>Today: {@link LogSoftmaxKernel} ({@code logSoftmax}, and {@code softmax} through it),
 * {@link LstmCellKernel} ({@link Tensor#lstmCell}), {@link GruCellKernel} ({@link Tensor#gruCell}) and
 * {@link AttentionKernel} ({@link Tensor#scaledDotProductAttention}, its output and weights),
 * {@link LayerNormKernel} ({@link Tensor#layerNorm}), {@link ReluGradKernel} (the backward of
 * {@link Tensor#relu}), {@link AdamKernel} (an optimizer's update: not differentiable, checked on values) and
 * {@link StridedAttentionKernel} ({@link Tensor#packedSelfAttention}, its output and weights), and
 * {@link LinearKernel} ({@link Tensor#linear} with a bias), and {@link Conv2dKernel} ({@link Tensor#conv2d} and
 * {@link Tensor#convTranspose2d}, whose examples are listed under {@code conv2d}), and {@link BatchNormKernel}
 * ({@link Tensor#batchNorm}'s output), and {@link LeakyReluKernel} ({@link Tensor#leakyRelu}).
 */
public final class FusedOps {
    /** Batch and hidden sizes of the recurrent cells' examples: odd, one, vector-width and empty batches. */
    private static final int[][] CELL_SIZES = {{1, 1}, {3, 5}, {2, 16}, {4, 33}, {0, 4}, {32, 64}};
    private static final List<FusedOp> ALL = List.of(logSoftmax(), lstmCell(), gruCell(), attention(), layerNorm(),
            reluGrad(), adam(), packedSelfAttention(), linear(), conv2d(), batchNorm(),
            leakyRelu());

    private FusedOps() {
    }

    /**
     * Every fused operation the tensor layer knows.
     *
     * @return the catalog, one entry per kernel kind
     */
    public static List<FusedOp> all() {
        return ALL;
    }

    /**
     * The fused operation that runs on kernels of {@code kind}.
     *
     * @param kind a kernel interface
     * @return its description, or empty when the tensor layer does not use that kind
     */
    public static Optional<FusedOp> of(Class<? extends FusedKernel> kind) {
        return ALL.stream().filter(op -> op.kind() == kind).findFirst();
    }

    private static FusedOp logSoftmax() {
        List<FusedOp.Example> examples = new ArrayList<>();
        int[][] shapes = {{3, 5}, {2, 3, 4}, {7}, {1}, {0, 3}, {33, 65}};
        for (int[] dims : shapes) {
            for (int axis : dims.length == 1 ? new int[] {0} : new int[] {-1, 0}) {
                examples.add(logSoftmaxExample(Shape.of(dims) + " axis " + axis, dims, axis, 3.0));
            }
        }
        examples.add(logSoftmaxExample("[2, 6] axis 1, large values", new int[] {2, 6}, 1, 500.0));
        return new FusedOp(LogSoftmaxKernel.class, "logSoftmax", examples);
    }

    private static FusedOp.Example logSoftmaxExample(String label, int[] dims, int axis, double scale) {
        int normalized = Shape.of(dims).normalizeAxis("logSoftmax", axis);
        return new FusedOp.Example(label,
                (f, d, g) -> List.of(f.normal(g, 0, scale, Shape.of(dims), d)),
                in -> List.of(Neural.logSoftmaxFused(in.getFirst(), normalized,
                        kernel(in.getFirst(), LogSoftmaxKernel.class))),
                in -> List.of(Neural.logSoftmaxComposed(in.getFirst(), normalized)));
    }


    private static FusedOp lstmCell() {
        List<FusedOp.Example> examples = new ArrayList<>();
        for (int[] bh : CELL_SIZES) {
            examples.add(lstmCellExample("batch " + bh[0] + " hidden " + bh[1], bh[0], bh[1], 1.5));
        }
        examples.add(lstmCellExample("batch 3 hidden 7, saturated gates", 3, 7, 25.0));
        return new FusedOp(LstmCellKernel.class, "lstmCell", examples);
    }

    private static FusedOp.Example lstmCellExample(String label, int batch, int hidden, double scale) {
        return new FusedOp.Example(label,
                (f, d, g) -> List.of(f.normal(g, 0, scale, Shape.of(batch, 4 * hidden), d),
                        f.normal(g, 0, 1, Shape.of(batch, hidden), d)),
                in -> {
                    LstmCellOutput o = Recurrent.lstmCellFused(in.get(0), in.get(1),
                            kernel(in.getFirst(), LstmCellKernel.class));
                    return List.of(o.h(), o.c());
                },
                in -> {
                    LstmCellOutput o = Recurrent.lstmCellComposed(in.get(0), in.get(1), hidden);
                    return List.of(o.h(), o.c());
                });
    }

    private static FusedOp gruCell() {
        List<FusedOp.Example> examples = new ArrayList<>();
        for (int[] bh : CELL_SIZES) {
            examples.add(gruCellExample("batch " + bh[0] + " hidden " + bh[1], bh[0], bh[1], 1.5));
        }
        examples.add(gruCellExample("batch 3 hidden 7, saturated gates", 3, 7, 25.0));
        return new FusedOp(GruCellKernel.class, "gruCell", examples);
    }

    private static FusedOp.Example gruCellExample(String label, int batch, int hidden, double scale) {
        return new FusedOp.Example(label,
                (f, d, g) -> List.of(f.normal(g, 0, scale, Shape.of(batch, 3 * hidden), d),
                        f.normal(g, 0, scale, Shape.of(batch, 3 * hidden), d),
                        f.normal(g, 0, 1, Shape.of(batch, hidden), d)),
                in -> List.of(Recurrent.gruCellFused(in.get(0), in.get(1), in.get(2),
                        kernel(in.getFirst(), GruCellKernel.class))),
                in -> List.of(Recurrent.gruCellComposed(in.get(0), in.get(1), in.get(2), hidden)));
    }

    /** How an attention example masks: not at all, with a bool mask, or with an additive floating one. */
    private enum MaskKind { NONE, BOOL, FLOAT }

    private static FusedOp attention() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[] none = null;
        ex.add(attentionExample("one query, one key", dims(1, 1), dims(1, 1), dims(1, 1), MaskKind.NONE, none, false, 1));
        ex.add(attentionExample("[3] heads, tq 5, tk 7, d 4, dv 3", dims(3, 5, 4), dims(3, 7, 4), dims(3, 7, 3),
                MaskKind.NONE, none, false, 1));
        ex.add(attentionExample("causal, [2, 3] heads, tq = tk = 6", dims(2, 3, 6, 4), dims(2, 3, 6, 4),
                dims(2, 3, 6, 5), MaskKind.NONE, none, true, 1));
        ex.add(attentionExample("causal, tq 5 > tk 3", dims(2, 5, 4), dims(2, 3, 4), dims(2, 3, 2), MaskKind.NONE,
                none, true, 1));
        ex.add(attentionExample("causal, tq 3 < tk 5", dims(2, 3, 4), dims(2, 5, 4), dims(2, 5, 2), MaskKind.NONE,
                none, true, 1));
        ex.add(attentionExample("bool key-padding mask [2, 1, 1, 7], [2, 3] heads", dims(2, 3, 4, 5),
                dims(2, 3, 7, 5), dims(2, 3, 7, 3), MaskKind.BOOL, dims(2, 1, 1, 7), false, 1));
        ex.add(attentionExample("bool mask [2, 3, 4, 7] and causal", dims(2, 3, 4, 5), dims(2, 3, 7, 5),
                dims(2, 3, 7, 3), MaskKind.BOOL, dims(2, 3, 4, 7), true, 1));
        ex.add(attentionExample("float mask [4, 6] with -inf, causal, [2] heads", dims(2, 4, 3), dims(2, 6, 3),
                dims(2, 6, 4), MaskKind.FLOAT, dims(4, 6), true, 1));
        ex.add(attentionExample("float mask [2, 1, 4, 1] per query row", dims(2, 3, 4, 5), dims(2, 3, 6, 5),
                dims(2, 3, 6, 2), MaskKind.FLOAT, dims(2, 1, 4, 1), false, 1));
        ex.add(attentionExample("float mask [3, 1, 6] per head, key padding", dims(3, 4, 5), dims(3, 6, 5),
                dims(3, 6, 2), MaskKind.FLOAT, dims(3, 1, 6), false, 1));
        ex.add(attentionExample("broadcast leading axes: q [2, 3, 4, 8], k [1, 3, 6, 8], v [3, 6, 5]",
                dims(2, 3, 4, 8), dims(1, 3, 6, 8), dims(3, 6, 5), MaskKind.NONE, none, false, 1));
        ex.add(attentionExample("odd sizes tq 5, tk 17, d 33, dv 9", dims(2, 5, 33), dims(2, 17, 33), dims(2, 17, 9),
                MaskKind.NONE, none, false, 1));
        ex.add(attentionExample("large scores", dims(2, 4, 6), dims(2, 5, 6), dims(2, 5, 3), MaskKind.NONE, none,
                false, 30));
        ex.add(attentionExample("[8] heads, 64 x 64, d 32, causal", dims(8, 64, 32), dims(8, 64, 32), dims(8, 64, 32),
                MaskKind.NONE, none, true, 1));
        ex.add(attentionExample("no heads [0, 4, 3]", dims(0, 4, 3), dims(0, 5, 3), dims(0, 5, 2), MaskKind.NONE,
                none, false, 1));
        ex.add(attentionExample("no keys, tk 0", dims(2, 4, 3), dims(2, 0, 3), dims(2, 0, 2), MaskKind.NONE, none,
                false, 1));
        return new FusedOp(AttentionKernel.class, "scaledDotProductAttention", ex);
    }

    private static FusedOp packedSelfAttention() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[] none = null;
        ex.add(packedExample("batch 2, length 5, 2 heads of 4", 2, 5, 2, 4, MaskKind.NONE, none, false, 1));
        ex.add(packedExample("causal, batch 3, length 6, 4 heads of 3", 3, 6, 4, 3, MaskKind.NONE, none, true, 1));
        ex.add(packedExample("one head, length 1", 2, 1, 1, 5, MaskKind.NONE, none, true, 1));
        ex.add(packedExample("bool key-padding mask [2, 1, 1, 7]", 2, 7, 3, 2, MaskKind.BOOL, dims(2, 1, 1, 7), false,
                1));
        ex.add(packedExample("float mask [5, 5] with -inf, causal", 2, 5, 2, 3, MaskKind.FLOAT, dims(5, 5), true, 1));
        ex.add(packedExample("float mask [3, 4, 4] per head", 2, 4, 3, 2, MaskKind.FLOAT, dims(3, 4, 4), false, 1));
        ex.add(packedExample("odd sizes: length 9, 3 heads of 7, large scores", 1, 9, 3, 7, MaskKind.NONE, none,
                false, 4));
        ex.add(packedExample("the Transformer LM's heads: length 64, 4 heads of 32, causal", 2, 64, 4, 32,
                MaskKind.NONE, none, true, 1));
        ex.add(packedExample("no batch [0, 4, 3·2·3]", 0, 4, 2, 3, MaskKind.NONE, none, true, 1));
        ex.add(packedExample("length 0", 2, 0, 2, 3, MaskKind.NONE, none, false, 1));
        return new FusedOp(StridedAttentionKernel.class, "packedSelfAttention", ex);
    }

    private static FusedOp.Example packedExample(String label, int batch, int length, int heads, int d,
                                                 MaskKind maskKind, int[] mask, boolean causal, double spread) {
        double scale = 1 / Math.sqrt(d);
        return new FusedOp.Example(label,
                (f, dt, g) -> {
                    List<Tensor> in = new ArrayList<>(List.of(f.normal(g, 0, spread,
                            Shape.of(batch, length, 3 * heads * d), dt)));
                    if (maskKind != MaskKind.NONE) {
                        in.add(attentionMask(f, dt, g, maskKind, mask));
                    }
                    return in;
                },
                in -> {
                    AttentionOutput o = DotProductAttention.packedFused(in.getFirst(), heads,
                            in.size() > 1 ? in.get(1) : null, causal, scale,
                            kernel(in.getFirst(), StridedAttentionKernel.class));
                    return List.of(o.output(), o.weights());
                },
                in -> {
                    AttentionOutput o = DotProductAttention.packedSplit(in.getFirst(), heads,
                            in.size() > 1 ? in.get(1) : null, causal, scale, true);
                    return List.of(o.output(), o.weights());
                });
    }

    private static FusedOp linear() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[][] cases = {{1, 1, 1}, {3, 5, 4}, {7, 33, 17}, {0, 4, 3}, {4, 0, 3}, {5, 6, 0}};
        for (int[] c : cases) {
            ex.add(linearExample("rows " + c[0] + ", in " + c[1] + ", out " + c[2], dims(c[0], c[1]), c[2]));
        }
        ex.add(linearExample("[2, 64, 128] to 384, the Transformer's projection", dims(2, 64, 128), 384));
        ex.add(linearExample("[2, 3, 5] to 7, rows of a batch", dims(2, 3, 5), 7));
        return new FusedOp(LinearKernel.class, "linear", ex);
    }

    private static FusedOp.Example linearExample(String label, int[] x, int out) {
        int in = x[x.length - 1];
        return new FusedOp.Example(label,
                (f, d, g) -> List.of(f.normal(g, 0, 1, Shape.of(x), d), f.normal(g, 0, 0.5, Shape.of(out, in), d),
                        f.normal(g, 0, 1, Shape.of(out), d)),
                in3 -> List.of(LinearAlgebra.linearFused(in3.get(0), in3.get(1), in3.get(2),
                        kernel(in3.getFirst(), LinearKernel.class))),
                in3 -> List.of(LinearAlgebra.linearComposed(in3.get(0), in3.get(1), in3.get(2))));
    }

    private static FusedOp conv2d() {
        List<FusedOp.Example> ex = new ArrayList<>();
        // x, w, stride, padding, dilation (bias [O] unless noted)
        ex.add(convExample("1x1 kernel, 1 image", dims(1, 2, 3, 3), dims(3, 2, 1, 1), dims(1, 1), dims(0, 0), dims(1, 1),
                true));
        ex.add(convExample("3x3 same padding", dims(2, 3, 6, 5), dims(4, 3, 3, 3), dims(1, 1), dims(1, 1), dims(1, 1),
                true));
        ex.add(convExample("DCGAN's discriminator: 4x4, stride 2, padding 1", dims(3, 4, 14, 14), dims(6, 4, 4, 4),
                dims(2, 2), dims(1, 1), dims(1, 1), true));
        ex.add(convExample("one input channel, 28 x 28, stride 2", dims(2, 1, 28, 28), dims(5, 1, 4, 4), dims(2, 2),
                dims(1, 1), dims(1, 1), true));
        ex.add(convExample("a 7x7 kernel over 7x7: one output pixel, no bias", dims(3, 5, 7, 7), dims(1, 5, 7, 7),
                dims(1, 1), dims(0, 0), dims(1, 1), false));
        ex.add(convExample("the kernel covers the input: a linear layer", dims(4, 6, 3, 2), dims(5, 6, 3, 2), dims(1, 1),
                dims(0, 0), dims(1, 1), true));
        ex.add(convExample("1 x 1 images, 1x1 kernel", dims(3, 4, 1, 1), dims(2, 4, 1, 1), dims(2, 2), dims(0, 0),
                dims(1, 1), true));
        ex.add(convExample("stride [2, 1], padding [1, 2], dilation [1, 2]", dims(2, 2, 5, 5), dims(3, 2, 3, 2),
                dims(2, 1), dims(1, 2), dims(1, 2), true));
        ex.add(convExample("stride [1, 3], padding [2, 0], dilation [2, 1], odd sizes", dims(2, 3, 9, 11),
                dims(2, 3, 2, 3), dims(1, 3), dims(2, 0), dims(2, 1), true));
        ex.add(convExample("padding wider than the kernel", dims(1, 2, 3, 4), dims(2, 2, 2, 2), dims(1, 1), dims(3, 2),
                dims(1, 1), true));
        ex.add(convExample("4 images of 64 x 32 x 32, 3x3: more columns than one chunk", dims(4, 64, 32, 32),
                dims(8, 64, 3, 3), dims(1, 1), dims(1, 1), dims(1, 1), true));
        // x, w [Cin, Cout, KH, KW], stride, padding, outputPadding
        ex.add(convTransposeExample("DCGAN's generator: 4x4, stride 2, padding 1", dims(3, 8, 7, 7), dims(8, 4, 4, 4),
                dims(2, 2), dims(1, 1), dims(0, 0), true));
        ex.add(convTransposeExample("1x1 latent to 7x7, no bias", dims(3, 6, 1, 1), dims(6, 5, 7, 7), dims(1, 1),
                dims(0, 0), dims(0, 0), false));
        ex.add(convTransposeExample("1x1 to 4x3, bias", dims(2, 3, 1, 1), dims(3, 2, 4, 3), dims(1, 1), dims(0, 0),
                dims(0, 0), true));
        ex.add(convTransposeExample("to one channel, 14 x 14 to 28 x 28", dims(2, 4, 14, 14), dims(4, 1, 4, 4),
                dims(2, 2), dims(1, 1), dims(0, 0), true));
        ex.add(convTransposeExample("stride [3, 2], padding [1, 1], outputPadding [2, 1]", dims(2, 3, 3, 4),
                dims(3, 2, 3, 3), dims(3, 2), dims(1, 1), dims(2, 1), true));
        ex.add(convTransposeExample("stride [2, 1], padding [0, 1]", dims(2, 3, 3, 4), dims(3, 2, 3, 3), dims(2, 1),
                dims(0, 1), dims(0, 0), true));
        return new FusedOp(Conv2dKernel.class, "conv2d", ex);
    }

    private static FusedOp.Example convExample(String label, int[] x, int[] w, int[] stride, int[] padding,
                                               int[] dilation, boolean bias) {
        return new FusedOp.Example(label,
                (f, d, g) -> convInputs(f, d, g, x, w, bias ? w[0] : 0),
                in -> List.of(Neural.conv2dFused(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null, stride,
                        padding, dilation, kernel(in.getFirst(), Conv2dKernel.class))),
                in -> List.of(Neural.conv2dComposed(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null, stride,
                        padding, dilation)));
    }

    private static FusedOp.Example convTransposeExample(String label, int[] x, int[] w, int[] stride, int[] padding,
                                                        int[] outputPadding, boolean bias) {
        return new FusedOp.Example("convTranspose2d " + label,
                (f, d, g) -> convInputs(f, d, g, x, w, bias ? w[1] : 0),
                in -> List.of(Neural.convTranspose2dFused(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                        stride, padding, outputPadding, kernel(in.getFirst(), Conv2dKernel.class))),
                in -> List.of(Neural.convTranspose2dComposed(in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null,
                        stride, padding, outputPadding)));
    }

    private static List<Tensor> convInputs(TensorFactory f, DType d, Generator g, int[] x, int[] w, int bias) {
        List<Tensor> in = new ArrayList<>(List.of(f.normal(g, 0, 1, Shape.of(x), d),
                f.normal(g, 0, 0.5, Shape.of(w), d)));
        if (bias > 0) {
            in.add(f.normal(g, 0, 1, Shape.of(bias), d));
        }
        return in;
    }

    private static FusedOp batchNorm() {
        List<FusedOp.Example> ex = new ArrayList<>();
        ex.add(batchNormExample("[4, 3], BatchNorm1d, affine", dims(4, 3), true, true, 0, 1e-5));
        ex.add(batchNormExample("[2, 3, 4, 5], affine", dims(2, 3, 4, 5), true, true, 0, 1e-5));
        ex.add(batchNormExample("[3, 2, 5], no affine", dims(3, 2, 5), false, false, 0, 1e-5));
        ex.add(batchNormExample("[2, 4, 3, 3], weight only", dims(2, 4, 3, 3), true, false, 0, 1e-5));
        ex.add(batchNormExample("[3, 2, 2, 2], bias only", dims(3, 2, 2, 2), false, true, 0, 1e-5));
        ex.add(batchNormExample("[1, 3, 1, 1], one value per channel, eps 0.5", dims(1, 3, 1, 1), true, true, 0, 0.5));
        ex.add(batchNormExample("[5, 3, 33], odd pixels, offset 1000", dims(5, 3, 33), true, true, 1000, 1e-5));
        ex.add(batchNormExample("[8, 16, 7, 7], DCGAN's discriminator", dims(8, 16, 7, 7), true, true, 0, 1e-5));
        ex.add(batchNormExample("[16, 8, 14, 14], DCGAN's generator, split across cores", dims(16, 8, 14, 14), true,
                true, 0, 1e-5));
        return new FusedOp(BatchNormKernel.class, "batchNorm", ex);
    }

    private static FusedOp.Example batchNormExample(String label, int[] x, boolean weight, boolean bias,
                                                    double offset, double eps) {
        return new FusedOp.Example(label,
                (f, d, g) -> {
                    List<Tensor> in = new ArrayList<>(List.of(f.normal(g, offset, 2, Shape.of(x), d)));
                    if (weight) {
                        in.add(f.normal(g, 1, 0.5, Shape.of(x[1]), d));
                    }
                    if (bias) {
                        in.add(f.normal(g, 0, 0.5, Shape.of(x[1]), d));
                    }
                    return in;
                },
                in -> List.of(Neural.batchNormFused(in.getFirst(), weight ? in.get(1) : null,
                        bias ? in.get(weight ? 2 : 1) : null, eps, kernel(in.getFirst(), BatchNormKernel.class))
                        .output()),
                in -> List.of(Neural.batchNormComposed(in.getFirst(), weight ? in.get(1) : null,
                        bias ? in.get(weight ? 2 : 1) : null, eps).output()));
    }

    private static FusedOp layerNorm() {
        List<FusedOp.Example> ex = new ArrayList<>();
        ex.add(layerNormExample("[3, 5] over [5], affine", dims(3, 5), 1, true, true, 0, 1e-5));
        ex.add(layerNormExample("[2, 3, 4] over [4], no affine", dims(2, 3, 4), 1, false, false, 0, 1e-5));
        ex.add(layerNormExample("[2, 3, 4] over [3, 4], weight only", dims(2, 3, 4), 2, true, false, 0, 1e-5));
        ex.add(layerNormExample("[4, 6] over [6], bias only", dims(4, 6), 1, false, true, 0, 1e-5));
        ex.add(layerNormExample("[1] over [1], eps 0.5", dims(1), 1, true, true, 0, 0.5));
        ex.add(layerNormExample("[7, 33] over [33], odd width", dims(7, 33), 1, true, true, 0, 1e-5));
        ex.add(layerNormExample("[2, 16, 128] over [128], the Transformer's", dims(2, 16, 128), 1, true, true, 0,
                1e-5));
        ex.add(layerNormExample("[3, 8] over [8], offset 1000", dims(3, 8), 1, true, true, 1000, 1e-5));
        ex.add(layerNormExample("[0, 4] over [4], no rows", dims(0, 4), 1, true, true, 0, 1e-5));
        return new FusedOp(LayerNormKernel.class, "layerNorm", ex);
    }

    private static FusedOp.Example layerNormExample(String label, int[] x, int k, boolean weight, boolean bias,
                                                    double offset, double eps) {
        int[] normalized = java.util.Arrays.copyOfRange(x, x.length - k, x.length);
        return new FusedOp.Example(label,
                (f, d, g) -> {
                    List<Tensor> in = new ArrayList<>(List.of(f.normal(g, offset, 2, Shape.of(x), d)));
                    if (weight) {
                        in.add(f.normal(g, 1, 0.5, Shape.of(normalized), d));
                    }
                    if (bias) {
                        in.add(f.normal(g, 0, 0.5, Shape.of(normalized), d));
                    }
                    return in;
                },
                in -> List.of(Neural.layerNormFused(in.getFirst(), k, weight ? in.get(1) : null,
                        bias ? in.get(weight ? 2 : 1) : null, eps, kernel(in.getFirst(), LayerNormKernel.class))),
                in -> List.of(Neural.layerNormComposed(in.getFirst(), k, weight ? in.get(1) : null,
                        bias ? in.get(weight ? 2 : 1) : null, eps)));
    }

    private static FusedOp leakyRelu() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[][] shapes = {{1}, {7}, {3, 5}, {2, 3, 4}, {33, 65}, {0, 3}, {64, 64, 7, 7}};
        for (int[] s : shapes) {
            for (double slope : new double[] {0.2, 0.01}) {
                ex.add(new FusedOp.Example(Shape.of(s) + " slope " + slope,
                        (f, d, g) -> List.of(f.normal(g, 0, 1, Shape.of(s), d)),
                        in -> List.of(Elementwise.leakyReluFused(in.getFirst(), slope,
                                kernel(in.getFirst(), LeakyReluKernel.class))),
                        in -> List.of(Elementwise.leakyReluComposed(in.getFirst(), slope))));
            }
        }
        return new FusedOp(LeakyReluKernel.class, "leakyRelu", ex);
    }

    private static FusedOp reluGrad() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[][] shapes = {{1}, {7}, {3, 5}, {2, 3, 4}, {33, 65}, {0, 3}, {2048, 16}};
        for (int[] s : shapes) {
            ex.add(new FusedOp.Example(Shape.of(s).toString(),
                    (f, d, g) -> List.of(f.normal(g, 0, 1, Shape.of(s), d)),
                    in -> List.of(Elementwise.reluFused(in.getFirst(), kernel(in.getFirst(), ReluGradKernel.class))),
                    in -> List.of(Elementwise.reluComposed(in.getFirst()))));
        }
        ex.add(new FusedOp.Example("zeros, signed zeros and NaN",
                (f, d, g) -> List.of(f.of(new double[] {0.0, -0.0, Double.NaN, 1.5, -2.5, 0.0, 3.0, -1e-300},
                        8).to(d)),
                in -> List.of(Elementwise.reluFused(in.getFirst(), kernel(in.getFirst(), ReluGradKernel.class))),
                in -> List.of(Elementwise.reluComposed(in.getFirst()))));
        return new FusedOp(ReluGradKernel.class, "relu", ex);
    }

    private static FusedOp adam() {
        List<FusedOp.Example> ex = new ArrayList<>();
        int[][] shapes = {{1}, {7}, {3, 5}, {0}, {33, 65}, {2, 1000}};
        for (int[] s : shapes) {
            ex.add(adamExample(Shape.of(s) + ", step 1", s, 1, 0));
        }
        ex.add(adamExample("[4, 9], step 7, weight decay 0.01", new int[] {4, 9}, 7, 0.01));
        ex.add(adamExample("[16], step 1000, weight decay 0.5", new int[] {16}, 1000, 0.5));
        return new FusedOp(AdamKernel.class, "adam", ex, false);
    }

    /** θ, g, m, v (v ≥ 0) → (θ', m', v') of one Adam step at step {@code t}, β (0.9, 0.999), ε 1e-8, lr 1e-3. */
    private static FusedOp.Example adamExample(String label, int[] dims, long t, double decay) {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double eps = 1e-8;
        double stepSize = 1e-3 / (1 - Math.pow(beta1, t));
        double invSqrtBc2 = 1 / Math.sqrt(1 - Math.pow(beta2, t));
        return new FusedOp.Example(label,
                (f, d, g) -> List.of(f.normal(g, 0, 1, Shape.of(dims), d), f.normal(g, 0, 1, Shape.of(dims), d),
                        f.normal(g, 0, 0.1, Shape.of(dims), d), f.normal(g, 0, 1, Shape.of(dims), d).square()),
                in -> {
                    kernel(in.getFirst(), AdamKernel.class).adam(in.get(0).storage("adam"), in.get(1).storage("adam"),
                            in.get(2).storage("adam"), in.get(3).storage("adam"), beta1, beta2, eps, decay, stepSize,
                            invSqrtBc2);
                    return List.of(in.get(0), in.get(2), in.get(3));
                },
                in -> {
                    Tensor p = in.get(0);
                    Tensor g = decay == 0 ? in.get(1) : in.get(1).add(p.mul(decay));
                    Tensor m = in.get(2).mul(beta1).add(g.mul(1 - beta1));
                    Tensor v = in.get(3).mul(beta2).add(g.square().mul(1 - beta2));
                    return List.of(p.sub(m.mul(stepSize).div(v.sqrt().mul(invSqrtBc2).add(eps))), m, v);
                });
    }

    private static int[] dims(int... d) {
        return d;
    }

    private static FusedOp.Example attentionExample(String label, int[] q, int[] k, int[] v, MaskKind maskKind,
                                                    int[] mask, boolean causal, double spread) {
        double scale = 1 / Math.sqrt(Math.max(1, q[q.length - 1]));
        return new FusedOp.Example(label,
                (f, d, g) -> {
                    List<Tensor> in = new ArrayList<>(List.of(f.normal(g, 0, spread, Shape.of(q), d),
                            f.normal(g, 0, spread, Shape.of(k), d), f.normal(g, 0, 1, Shape.of(v), d)));
                    if (maskKind != MaskKind.NONE) {
                        in.add(attentionMask(f, d, g, maskKind, mask));
                    }
                    return in;
                },
                in -> {
                    AttentionOutput o = DotProductAttention.fused(in.get(0), in.get(1), in.get(2),
                            in.size() > 3 ? in.get(3) : null, causal, scale, kernel(in.getFirst(), AttentionKernel.class));
                    return List.of(o.output(), o.weights());
                },
                in -> {
                    AttentionOutput o = DotProductAttention.composed(in.get(0), in.get(1), in.get(2),
                            in.size() > 3 ? in.get(3) : null, causal, scale);
                    return List.of(o.output(), o.weights());
                });
    }

    /**
     * A mask of the given shape: bool with about a third of the keys masked, or normal values with about a
     * third {@code −∞}; key 0 is never masked, so that no query is left without a key.
     */
    private static Tensor attentionMask(TensorFactory f, DType d, Generator g, MaskKind kind, int[] dims) {
        Shape shape = Shape.of(dims);
        int keys = dims[dims.length - 1];
        int size = Math.toIntExact(shape.size());
        if (kind == MaskKind.BOOL) {
            boolean[] b = new boolean[size];
            for (int i = 0; i < size; i++) {
                b[i] = i % keys == 0 || g.nextDouble() < 0.67;
            }
            return f.of(b, dims);
        }
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = i % keys != 0 && g.nextDouble() < 0.33 ? Double.NEGATIVE_INFINITY : 2 * g.nextDouble() - 1;
        }
        return f.of(v, dims).to(d);
    }

    private static <K extends FusedKernel> K kernel(Tensor t, Class<K> kind) {
        return t.backend().fused(kind).orElseThrow(() -> new IllegalStateException("backend '"
                + t.backend().name() + "' offers no " + kind.getSimpleName()));
    }
}
