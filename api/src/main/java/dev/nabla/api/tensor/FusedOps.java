package dev.nabla.api.tensor;

import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.backend.GruCellKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.LstmCellKernel;
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
 * {@link LstmCellKernel} ({@link Tensor#lstmCell}) and {@link GruCellKernel} ({@link Tensor#gruCell}).
 * Attention adds its kinds here.
 */
public final class FusedOps {
    /** Batch and hidden sizes of the recurrent cells' examples: odd, one, vector-width and empty batches. */
    private static final int[][] CELL_SIZES = {{1, 1}, {3, 5}, {2, 16}, {4, 33}, {0, 4}, {32, 64}};
    private static final List<FusedOp> ALL = List.of(logSoftmax(), lstmCell(), gruCell());

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

    private static <K extends FusedKernel> K kernel(Tensor t, Class<K> kind) {
        return t.backend().fused(kind).orElseThrow(() -> new IllegalStateException("backend '"
                + t.backend().name() + "' offers no " + kind.getSimpleName()));
    }
}
