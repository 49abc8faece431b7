package dev.nabla.api.tensor;

import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.backend.LogSoftmaxKernel;
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
 * <p>Today: {@link LogSoftmaxKernel} ({@code logSoftmax}, and {@code softmax} through it). Recurrent
 * cells and attention add their kinds here.
 */
public final class FusedOps {
    private static final List<FusedOp> ALL = List.of(logSoftmax());

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

    private static <K extends FusedKernel> K kernel(Tensor t, Class<K> kind) {
        return t.backend().fused(kind).orElseThrow(() -> new IllegalStateException("backend '"
                + t.backend().name() + "' offers no " + kind.getSimpleName()));
    }
}
