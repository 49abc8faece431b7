package dev.nabla.api.tensor;

import dev.nabla.api.types.DType;

/** Renders a tensor for {@link Tensor#toString()}: shape, dtype, device and a preview of the values. */
final class Format {
    private static final int EDGE = 3;

    private Format() {
    }

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("Tensor").append(t.shape()).append(' ').append(t.dtype())
                .append(' ').append(t.device());
        if (t.isReleased()) {
            return sb.append(" <released>").toString();
        }
        if (t.requiresGrad()) {
            sb.append(t.gradFnName() == null ? " requiresGrad" : " grad_fn=" + t.gradFnName());
        }
        Object values = t.backend().kernels().toArray(t.storage());
        sb.append(' ');
        int[] dims = t.shape().dims();
        append(sb, values, t.dtype(), dims, 0, 0);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object values, DType dtype, int[] dims, int axis, long offset) {
        if (axis == dims.length) {
            sb.append(value(values, dtype, (int) offset));
            return;
        }
        long stride = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            stride *= dims[i];
        }
        sb.append('[');
        int n = dims[axis];
        for (int i = 0; i < n; i++) {
            if (n > 2 * EDGE && i == EDGE) {
                sb.append("…, ");
                i = n - EDGE;
            }
            append(sb, values, dtype, dims, axis + 1, offset + i * stride);
            if (i < n - 1) {
                sb.append(", ");
            }
        }
        sb.append(']');
    }

    private static String value(Object values, DType dtype, int i) {
        return switch (dtype) {
            case FLOAT32 -> compact(((float[]) values)[i]);
            case FLOAT64 -> compact(((double[]) values)[i]);
            case INT32 -> Integer.toString(((int[]) values)[i]);
            case INT64 -> Long.toString(((long[]) values)[i]);
            case BOOL -> Boolean.toString(((boolean[]) values)[i]);
        };
    }

    private static String compact(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format("%.4g", v);
    }
}
