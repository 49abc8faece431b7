package dev.nabla.provider.tensorflow.kernels;

import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.tensorflow.runtime.EagerOp;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;
import dev.nabla.provider.tensorflow.storage.TfStorage;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * The fused log-softmax of the TensorFlow backend: one {@code LogSoftmax} op (TensorFlow's numerically
 * stable kernel, on the last axis; other axes are transposed there and back) instead of the five ops
 * of the composition, and a four-op backward {@code dx = dy - exp(y) · Σ dy}.
 */
public final class TfLogSoftmax implements LogSoftmaxKernel {
    private final TfRuntime rt;
    private final TfKernels kernels;

    /**
     * The fused kernel over the given runtime, sharing the primitive kernels' helpers.
     *
     * @param runtime the eager context
     * @param kernels the backend's primitive kernels
     */
    public TfLogSoftmax(TfRuntime runtime, TfKernels kernels) {
        this.rt = runtime;
        this.kernels = kernels;
    }

    @Override
    public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
        TfStorage s = floating(x, "logSoftmax");
        TfStorage o = TfStorage.of(out);
        DType dtype = s.dtype();
        long[] dims = TfKernels.dims(shape);
        if (s.size() == 0) {
            o.replace(rt.trackHost(rt.filled(dtype, dims, 0)), dims);
            return;
        }
        try (TfKernels.Scratch k = kernels.new Scratch()) {
            int rank = dims.length;
            if (rank == 0) {
                // a single element: log-softmax is 0 (NaN and ±inf propagate through x - x)
                TFE_TensorHandle v = kernels.view(k, s, dims);
                try (EagerOp op = EagerOp.of(rt, "Sub")) {
                    o.replace(op.input(v).input(v).type("T", dtype).execute(), dims);
                }
                return;
            }
            TFE_TensorHandle v = kernels.view(k, s, dims);
            if (axis == rank - 1) {
                o.replace(logSoftmaxOp(v, dtype), dims);
                return;
            }
            long[] perm = new long[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
            perm[axis] = rank - 1;
            perm[rank - 1] = axis; // a swap is its own inverse
            TFE_TensorHandle moved = k.temp(transpose(k, v, dtype, perm));
            TFE_TensorHandle y = k.temp(logSoftmaxOp(moved, dtype));
            o.replace(transpose(k, y, dtype, perm), dims);
        }
    }

    @Override
    public void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis, Storage gradIn) {
        TfStorage dy = floating(gradOut, "logSoftmaxBackward");
        TfStorage ys = TfStorage.of(y);
        TfStorage dx = TfStorage.of(gradIn);
        DType dtype = dy.dtype();
        long[] dims = TfKernels.dims(shape);
        if (dy.size() == 0) {
            return;
        }
        try (TfKernels.Scratch k = kernels.new Scratch()) {
            TFE_TensorHandle g = kernels.view(k, dy, dims);
            TFE_TensorHandle out = kernels.view(k, ys, dims);
            TFE_TensorHandle ax = k.temp(rt.track(rt.upload(DType.INT64, new long[] {1}, new long[] {axis})));
            TFE_TensorHandle sum;
            try (EagerOp op = EagerOp.of(rt, "Sum")) {
                sum = k.temp(op.input(g).input(ax).bool("keep_dims", true).type("T", dtype).typeCode("Tidx", 9)
                        .execute());
            }
            TFE_TensorHandle p = k.temp(run("Exp", dtype, out, null));
            TFE_TensorHandle scaled = k.temp(run("Mul", dtype, p, sum));
            dx.replace(run("Sub", dtype, g, scaled), dims);
        }
    }

    private TFE_TensorHandle run(String name, DType dtype, TFE_TensorHandle a, TFE_TensorHandle b) {
        try (EagerOp op = EagerOp.of(rt, name)) {
            op.input(a);
            if (b != null) {
                op.input(b);
            }
            return op.type("T", dtype).execute();
        }
    }

    private TFE_TensorHandle logSoftmaxOp(TFE_TensorHandle v, DType dtype) {
        try (EagerOp op = EagerOp.of(rt, "LogSoftmax")) {
            return op.input(v).type("T", dtype).execute();
        }
    }

    private TFE_TensorHandle transpose(TfKernels.Scratch k, TFE_TensorHandle v, DType dtype, long[] perm) {
        TFE_TensorHandle p = k.temp(rt.track(rt.upload(DType.INT64, new long[] {perm.length}, perm)));
        try (EagerOp op = EagerOp.of(rt, "Transpose")) {
            return op.input(v).input(p).type("T", dtype).typeCode("Tperm", 9).execute();
        }
    }

    private static TfStorage floating(Storage s, String kernel) {
        TfStorage t = TfStorage.of(s);
        if (!t.dtype().isFloatingPoint()) {
            throw TfKernels.unsupported(kernel, t.dtype());
        }
        return t;
    }
}
