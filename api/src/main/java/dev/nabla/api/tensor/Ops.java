package dev.nabla.api.tensor;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.Arrays;

/**
 * Shared plumbing of the operation classes: allocating results, validating operands with messages
 * that name the op, recording nodes for autodiff, and reducing broadcast gradients.
 */
final class Ops {
    private Ops() {
    }

    static Kernels k(Tensor t) {
        return t.backend().kernels();
    }

    /** A new zero-filled tensor of the given dtype and shape on {@code backend}, in the current scope. */
    static Tensor alloc(Backend backend, DType dtype, Shape shape) {
        Storage s = backend.kernels().allocate(dtype, shape.size());
        return new Tensor(backend, new Buffer(s), shape);
    }

    static Tensor full(Backend backend, DType dtype, Shape shape, double value) {
        Tensor t = alloc(backend, dtype, shape);
        if (value != 0.0) {
            backend.kernels().fill(t.storage(), value);
        }
        return t;
    }

    static Tensor zerosLike(Tensor t) {
        return alloc(t.backend(), t.dtype(), t.shape());
    }

    /** A rank-0 tensor of {@code t}'s dtype and backend. */
    static Tensor scalarLike(Tensor t, double value) {
        // no liveness check here: the op using the scalar checks its operands and names itself
        return full(t.backend(), t.dtype(), Shape.scalar(), value);
    }

    /** A view of {@code t}'s storage under another shape with the same number of elements. */
    static Tensor view(Tensor t, Shape shape) {
        return new Tensor(t.backend(), t.buffer().retain(), shape);
    }

    /**
     * Marks {@code out} as computed by {@code op} from {@code inputs} when gradients are enabled and
     * any input requires grad. Returns {@code out}.
     */
    static Tensor record(Tensor out, String op, Node.Backward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return out;
        }
        boolean any = false;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return out;
        }
        if (!out.dtype().isFloatingPoint()) {
            return out; // integer and bool results (argmax, comparisons) carry no gradient
        }
        out.gradFn = new Node(op, inputs, backward);
        out.requiresGradInternal();
        return out;
    }

    /**
     * Marks the floating {@code outputs} of one op as computed together from {@code inputs}, with one
     * node whose {@code backward} receives all their gradients (see {@link Node#multi}), when gradients
     * are enabled and any input requires grad. Returns {@code outputs}.
     */
    static Tensor[] recordMulti(Tensor[] outputs, String op, Node.MultiBackward backward, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            return outputs;
        }
        boolean any = false;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (!any) {
            return outputs;
        }
        Node node = new Node(op, inputs, outputs.clone(), backward);
        for (Tensor out : outputs) {
            out.gradFn = node;
            out.requiresGradInternal();
        }
        return outputs;
    }

    /** Sums a (broadcast) gradient down to {@code target}, the shape of the input it belongs to. */
    static Tensor sumTo(Tensor g, Shape target) {
        Shape s = g.shape();
        if (s.equals(target)) {
            return g;
        }
        int lead = s.rank() - target.rank();
        if (lead < 0 || !target.broadcastableTo(s)) {
            throw new NablaException("backward: gradient of shape " + s + " cannot be reduced to input shape " + target);
        }
        int[] axes = new int[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && s.dim(i) != 1)) {
                axes[n++] = i;
            }
        }
        Tensor r = n == 0 ? g : g.sum(Arrays.copyOf(axes, n), true);
        return r.shape().equals(target) ? r : r.reshape(target.dims());
    }

    static int[] allAxes(Tensor t) {
        int[] a = new int[t.rank()];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
        }
        return a;
    }

    /** Normalizes axes to {@code [0, rank)}, sorted, rejecting duplicates. */
    static int[] normalizeAxes(String op, Shape shape, int[] axes) {
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            a[i] = shape.normalizeAxis(op, axes[i]);
        }
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) {
                throw new ShapeException(op + ": axis " + a[i] + " repeated in " + Arrays.toString(axes));
            }
        }
        return a;
    }

    // ------------------------------------------------------------------ checks

    static void sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new NablaException(op + ": operands live on different backends ('" + a.backend().name()
                    + "' and '" + b.backend().name() + "'); move one with TensorFactory.copyOf");
        }
    }

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new DTypeException(op + ": dtypes " + a.dtype() + " and " + b.dtype()
                    + " differ (shapes " + a.shape() + " and " + b.shape() + "); convert one with to(DType)");
        }
    }

    static void requireFloat(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new DTypeException(op + ": needs a floating-point tensor (float32 or float64), got "
                    + t.describe());
        }
    }

    static void requireNumeric(String op, Tensor t) {
        if (t.dtype() == DType.BOOL) {
            throw new DTypeException(op + ": needs a numeric tensor, got " + t.describe());
        }
    }

    static void requireBool(String op, Tensor t) {
        if (t.dtype() != DType.BOOL) {
            throw new DTypeException(op + ": needs a bool tensor, got " + t.describe());
        }
    }

    static void requireIndex(String op, Tensor t) {
        if (!t.dtype().isInteger()) {
            throw new DTypeException(op + ": index must be int64 or int32, got " + t.describe());
        }
    }

    static void requireOneElement(String op, Tensor t) {
        if (t.numel() != 1) {
            throw new ShapeException(op + ": needs a tensor with one element, got shape " + t.shape());
        }
    }

    static void requireRank(String op, String what, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new ShapeException(op + ": " + what + " must have rank " + rank + ", got shape " + t.shape());
        }
    }

    // ------------------------------------------------------------------ host transfer

    static Object hostArray(Tensor t, DType as) {
        Storage s = t.storage("toArray");
        if (s.dtype() == as) {
            return k(t).toArray(s);
        }
        Kernels k = k(t);
        Storage tmp = k.allocate(as, s.size());
        try {
            k.cast(s, tmp);
            return k.toArray(tmp);
        } finally {
            tmp.release();
        }
    }
}
