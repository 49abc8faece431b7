package dev.nabla.api.tensor;

import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operations that change a tensor's shape but not its values: views (reshape, squeeze,
 * unsqueeze, which share storage), rearrangements (permute, transpose, broadcast, flip), slicing
 * (slice, select, split, chunk), joining (concat, stack, pad) and the triangles (tril, triu). Every op
 * but the views is one strided read ({@link #asStrided}) or its adjoint, a strided write into a fresh
 * tensor ({@link #asStridedAdjoint}). (Named {@code Layout} before.)
 */
final class ShapeOps {
    private ShapeOps() {
    }

    // ------------------------------------------------------------------ the two strided primitives

    /**
     * {@code out[i] = x[offset + Σ i_d·strides_d]}; recorded, with {@link #asStridedAdjoint} as its
     * gradient.
     */
    static Tensor asStrided(String op, Tensor x, Shape outShape, long[] strides, long offset) {
        Tensor y = Ops.alloc(x.backend(), x.dtype(), outShape);
        Ops.k(x).stridedRead(x.storage(op), offset, strides, outShape, y.storage());
        Shape base = x.shape();
        return Ops.record(y, op, g -> new Tensor[] {asStridedAdjoint(op + "Backward", g, base, strides, offset)}, x);
    }

    /**
     * A zero tensor of {@code baseShape} with {@code src} added at the positions
     * {@code offset + Σ i_d·strides_d}; recorded, with {@link #asStrided} as its gradient.
     */
    static Tensor asStridedAdjoint(String op, Tensor src, Shape baseShape, long[] strides, long offset) {
        Tensor y = Ops.alloc(src.backend(), src.dtype(), baseShape);
        Ops.k(src).stridedWrite(src.storage(op), src.shape(), y.storage(), offset, strides, true);
        Shape srcShape = src.shape();
        return Ops.record(y, op, g -> new Tensor[] {asStrided(op + "Backward", g, srcShape, strides, offset)}, src);
    }

    // ------------------------------------------------------------------ views

    static Tensor reshape(Tensor x, int... dims) {
        x.checkLive("reshape");
        Shape target = inferShape(x.shape(), dims);
        if (target.equals(x.shape())) {
            return x;
        }
        return viewOf("reshape", x, target);
    }

    private static Tensor viewOf(String op, Tensor x, Shape target) {
        Tensor y = Ops.view(x, target);
        Shape source = x.shape();
        return Ops.record(y, op, g -> new Tensor[] {g.reshape(source.dims())}, x);
    }

    static Shape inferShape(Shape from, int[] dims) {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new ShapeException("reshape: only one dimension may be -1, got " + Arrays.toString(dims));
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new ShapeException("reshape: dimension " + dims[i] + " is negative in " + Arrays.toString(dims));
            } else {
                known *= dims[i];
            }
        }
        int[] d = dims.clone();
        if (infer >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new ShapeException("reshape: cannot infer -1 in " + Arrays.toString(dims) + " for shape "
                        + from + " (" + from.size() + " elements)");
            }
            d[infer] = (int) (from.size() / known);
            known *= d[infer];
        }
        if (known != from.size()) {
            throw new ShapeException("reshape: cannot reshape " + from + " (" + from.size() + " elements) to "
                    + Arrays.toString(dims) + " (" + known + " elements)");
        }
        return Shape.of(d);
    }

    static Tensor squeeze(Tensor x) {
        x.checkLive("squeeze");
        int[] d = Arrays.stream(x.shape().dims()).filter(v -> v != 1).toArray();
        return d.length == x.rank() ? x : viewOf("squeeze", x, Shape.of(d));
    }

    static Tensor squeeze(Tensor x, int axisIn) {
        x.checkLive("squeeze");
        int axis = x.shape().normalizeAxis("squeeze", axisIn);
        if (x.dim(axis) != 1) {
            throw new ShapeException("squeeze: axis " + axisIn + " of shape " + x.shape() + " has size "
                    + x.dim(axis) + ", not 1");
        }
        int[] d = new int[x.rank() - 1];
        for (int i = 0, n = 0; i < x.rank(); i++) {
            if (i != axis) {
                d[n++] = x.dim(i);
            }
        }
        return viewOf("squeeze", x, Shape.of(d));
    }

    static Tensor unsqueeze(Tensor x, int axisIn) {
        x.checkLive("unsqueeze");
        int r = x.rank();
        int axis = axisIn < 0 ? axisIn + r + 1 : axisIn;
        if (axis < 0 || axis > r) {
            throw new ShapeException("unsqueeze: axis " + axisIn + " is out of range for shape " + x.shape()
                    + " (valid: " + (-r - 1) + " to " + r + ")");
        }
        int[] d = new int[r + 1];
        for (int i = 0, n = 0; i <= r; i++) {
            d[i] = i == axis ? 1 : x.dim(n++);
        }
        return viewOf("unsqueeze", x, Shape.of(d));
    }

    // ------------------------------------------------------------------ strided copies

    static Tensor permute(Tensor x, int... axes) {
        String op = "permute";
        x.checkLive(op);
        int r = x.rank();
        if (axes.length != r) {
            throw new ShapeException(op + ": got " + axes.length + " axes " + Arrays.toString(axes)
                    + " for shape " + x.shape() + " of rank " + r);
        }
        int[] perm = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = x.shape().normalizeAxis(op, axes[i]);
            if (seen[perm[i]]) {
                throw new ShapeException(op + ": axis " + perm[i] + " repeated in " + Arrays.toString(axes));
            }
            seen[perm[i]] = true;
        }
        long[] srcStrides = x.shape().strides();
        int[] outDims = new int[r];
        long[] strides = new long[r];
        int[] inverse = new int[r];
        for (int i = 0; i < r; i++) {
            outDims[i] = x.dim(perm[i]);
            strides[i] = srcStrides[perm[i]];
            inverse[perm[i]] = i;
        }
        Tensor y = Ops.alloc(x.backend(), x.dtype(), Shape.of(outDims));
        Ops.k(x).stridedRead(x.storage(), 0, strides, y.shape(), y.storage());
        return Ops.record(y, op, g -> new Tensor[] {g.permute(inverse)}, x);
    }

    static Tensor transpose(Tensor x, int a0, int a1) {
        x.checkLive("transpose");
        int r = x.rank();
        int i = x.shape().normalizeAxis("transpose", a0);
        int j = x.shape().normalizeAxis("transpose", a1);
        if (i == j) {
            return x;
        }
        int[] perm = new int[r];
        for (int k = 0; k < r; k++) {
            perm[k] = k;
        }
        perm[i] = j;
        perm[j] = i;
        return permute(x, perm);
    }

    static Tensor broadcastTo(Tensor x, Shape target) {
        String op = "broadcastTo";
        x.checkLive(op);
        if (!x.shape().broadcastableTo(target)) {
            throw new ShapeException(op + ": shape " + x.shape() + " cannot be broadcast to " + target);
        }
        if (x.shape().equals(target)) {
            return x;
        }
        int lead = target.rank() - x.rank();
        long[] src = x.shape().strides();
        long[] strides = new long[target.rank()];
        for (int i = 0; i < x.rank(); i++) {
            strides[lead + i] = x.dim(i) == 1 ? 0 : src[i];
        }
        Tensor y = Ops.alloc(x.backend(), x.dtype(), target);
        Ops.k(x).stridedRead(x.storage(), 0, strides, target, y.storage());
        Shape source = x.shape();
        return Ops.record(y, op, g -> new Tensor[] {Ops.sumTo(g, source)}, x);
    }

    /** Python slice bounds: returns {start, count}. */
    static int[] sliceBounds(String op, int size, int start, int end, int step) {
        if (step == 0) {
            throw new ShapeException(op + ": step must not be zero");
        }
        if (step > 0) {
            int s = start < 0 ? (int) Math.max((long) start + size, 0) : Math.min(start, size);
            int e = end < 0 ? (int) Math.max((long) end + size, 0) : Math.min(end, size);
            int count = e > s ? (int) (((long) e - s + step - 1) / step) : 0;
            return new int[] {s, count};
        }
        int s = start < 0 ? (int) Math.max((long) start + size, -1) : Math.min(start, size - 1);
        int e = end < 0 ? (int) Math.max((long) end + size, -1) : Math.min(end, size - 1);
        long back = -(long) step;
        int count = s > e ? (int) (((long) s - e + back - 1) / back) : 0;
        return new int[] {s, count};
    }

    static Tensor slice(Tensor x, int axisIn, int start, int end, int step) {
        String op = "slice";
        x.checkLive(op);
        int axis = x.shape().normalizeAxis(op, axisIn);
        int[] b = sliceBounds(op, x.dim(axis), start, end, step);
        if (step == 1 && b[0] == 0 && b[1] == x.dim(axis)) {
            return x;
        }
        long[] base = x.shape().strides();
        long[] strides = base.clone();
        strides[axis] = base[axis] * step;
        int[] d = x.shape().dims();
        d[axis] = b[1];
        long offset = b[1] == 0 ? 0 : (long) b[0] * base[axis];
        return asStrided(op, x, Shape.of(d), strides, offset);
    }

    static Tensor select(Tensor x, int axisIn, int index) {
        x.checkLive("select");
        int axis = x.shape().normalizeAxis("select", axisIn);
        int size = x.dim(axis);
        int i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new ShapeException("select: index " + index + " is out of range for axis " + axisIn
                    + " of size " + size + " in shape " + x.shape());
        }
        return slice(x, axis, i, i + 1, 1).squeeze(axis);
    }

    static Tensor flip(Tensor x, int... axesIn) {
        String op = "flip";
        x.checkLive(op);
        int[] axes = Ops.normalizeAxes(op, x.shape(), axesIn);
        long[] strides = x.shape().strides();
        long offset = 0;
        for (int a : axes) {
            if (x.dim(a) > 0) {
                offset += (long) (x.dim(a) - 1) * strides[a];
            }
            strides[a] = -strides[a];
        }
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        if (x.numel() > 0) {
            Ops.k(x).stridedRead(x.storage(), offset, strides, x.shape(), y.storage());
        }
        return Ops.record(y, op, g -> new Tensor[] {g.flip(axes)}, x);
    }

    // ------------------------------------------------------------------ windows into a larger tensor

    /** Writes {@code part} into {@code out} at the window starting at {@code start} (unit steps). */
    private static void writeWindow(Tensor part, Tensor out, int[] start) {
        if (part.numel() == 0) {
            return;
        }
        long[] strides = out.shape().strides();
        long offset = 0;
        for (int d = 0; d < start.length; d++) {
            offset += start[d] * strides[d];
        }
        Ops.k(out).stridedWrite(part.storage(), part.shape(), out.storage(), offset, strides, false);
    }

    static Tensor pad(Tensor x, int[] before, int[] after, double value) {
        String op = "pad";
        x.checkLive(op);
        int r = x.rank();
        if (before.length != r || after.length != r) {
            throw new ShapeException(op + ": need " + r + " before and after widths for shape " + x.shape()
                    + ", got " + Arrays.toString(before) + " and " + Arrays.toString(after));
        }
        int[] d = new int[r];
        for (int i = 0; i < r; i++) {
            if (before[i] < 0 || after[i] < 0) {
                throw new ShapeException(op + ": widths must be >= 0, got " + Arrays.toString(before)
                        + " and " + Arrays.toString(after));
            }
            d[i] = x.dim(i) + before[i] + after[i];
        }
        Tensor y = Ops.full(x.backend(), x.dtype(), Shape.of(d), value);
        writeWindow(x, y, before);
        int[] b = before.clone();
        Shape inner = x.shape();
        return Ops.record(y, op, g -> {
            Tensor s = g;
            for (int i = 0; i < r; i++) {
                s = s.slice(i, b[i], b[i] + inner.dim(i));
            }
            return new Tensor[] {s};
        }, x);
    }

    static Tensor concat(List<Tensor> parts, int axisIn) {
        String op = "concat";
        if (parts.isEmpty()) {
            throw new ShapeException(op + ": needs at least one tensor");
        }
        Tensor first = parts.getFirst();
        first.checkLive(op);
        int axis = first.shape().normalizeAxis(op, axisIn);
        int total = 0;
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            t.checkLive(op);
            Ops.sameBackend(op, first, t);
            Ops.sameDType(op, first, t);
            if (t.rank() != first.rank()) {
                throw new ShapeException(op + ": tensor " + p + " has shape " + t.shape() + " but tensor 0 has "
                        + first.shape() + " (ranks differ)");
            }
            for (int i = 0; i < t.rank(); i++) {
                if (i != axis && t.dim(i) != first.dim(i)) {
                    throw new ShapeException(op + ": tensor " + p + " has shape " + t.shape() + " but tensor 0 has "
                            + first.shape() + "; they must match except on axis " + axis);
                }
            }
            total += t.dim(axis);
        }
        int[] d = first.shape().dims();
        d[axis] = total;
        Tensor y = Ops.alloc(first.backend(), first.dtype(), Shape.of(d));
        int[] start = new int[d.length];
        int[] sizes = new int[parts.size()];
        for (int p = 0; p < parts.size(); p++) {
            writeWindow(parts.get(p), y, start);
            sizes[p] = parts.get(p).dim(axis);
            start[axis] += sizes[p];
        }
        return Ops.record(y, op, g -> g.split(axis, sizes).toArray(new Tensor[0]), parts.toArray(new Tensor[0]));
    }

    static Tensor stack(List<Tensor> parts, int axisIn) {
        if (parts.isEmpty()) {
            throw new ShapeException("stack: needs at least one tensor");
        }
        Tensor first = parts.getFirst();
        Shape s = first.shape();
        int r = s.rank();
        int axis = axisIn < 0 ? axisIn + r + 1 : axisIn;
        if (axis < 0 || axis > r) {
            throw new ShapeException("stack: axis " + axisIn + " is out of range for tensors of shape " + s);
        }
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (int p = 0; p < parts.size(); p++) {
            Tensor t = parts.get(p);
            t.checkLive("stack");
            Ops.sameBackend("stack", first, t);
            Ops.sameDType("stack", first, t);
            if (!t.shape().equals(s)) {
                throw new ShapeException("stack: tensor " + p + " has shape " + t.shape() + " but tensor 0 has " + s
                        + "; stacked tensors must have the same shape");
            }
            expanded.add(t.unsqueeze(axis));
        }
        return concat(expanded, axis);
    }

    static List<Tensor> split(Tensor x, int axisIn, int... sizes) {
        String op = "split";
        x.checkLive(op);
        int axis = x.shape().normalizeAxis(op, axisIn);
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new ShapeException(op + ": sizes must be >= 0, got " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.dim(axis)) {
            throw new ShapeException(op + ": sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + " but axis " + axis + " of shape " + x.shape() + " has size " + x.dim(axis));
        }
        Tensor[] out = new Tensor[sizes.length];
        boolean whole = false;
        try (GradMode ignored = Autograd.noGrad()) {
            int start = 0;
            for (int i = 0; i < sizes.length; i++) {
                out[i] = slice(x, axis, start, start + sizes[i], 1);
                whole |= out[i] == x;
                start += sizes[i];
            }
        }
        if (whole) {
            // one piece is x itself (the others are empty): nothing to record for it
            List<Tensor> pieces = new ArrayList<>(sizes.length);
            int start = 0;
            for (int s : sizes) {
                pieces.add(slice(x, axis, start, start + s, 1));
                start += s;
            }
            return pieces;
        }
        // one node for all pieces: its backward joins their gradients once (zeros where a piece got none),
        // instead of one full-size gradient per piece
        Tensor[] pieces = out;
        Ops.recordMulti(out, op, gs -> {
            List<Tensor> parts = new ArrayList<>(gs.length);
            for (int i = 0; i < gs.length; i++) {
                parts.add(gs[i] != null ? gs[i] : Ops.zerosLike(pieces[i]));
            }
            return new Tensor[] {concat(parts, axis)};
        }, x);
        return List.of(out);
    }

    static List<Tensor> chunk(Tensor x, int chunks, int axisIn) {
        if (chunks <= 0) {
            throw new ShapeException("chunk: number of chunks must be positive, got " + chunks);
        }
        x.checkLive("chunk");
        int axis = x.shape().normalizeAxis("chunk", axisIn);
        int size = x.dim(axis);
        int step = Math.max(1, (size + chunks - 1) / chunks);
        List<Integer> sizes = new ArrayList<>();
        for (int s = 0; s < size; s += step) {
            sizes.add(Math.min(step, size - s));
        }
        if (sizes.isEmpty()) {
            sizes.add(0);
        }
        return split(x, axis, sizes.stream().mapToInt(Integer::intValue).toArray());
    }

    static Tensor triangle(Tensor x, int k, boolean lower) {
        String op = lower ? "tril" : "triu";
        x.checkLive(op);
        if (x.rank() < 2) {
            throw new ShapeException(op + ": needs rank >= 2, got shape " + x.shape());
        }
        TensorFactory f = x.factory();
        Tensor mask = lower ? f.trilMask(x.dim(-2), x.dim(-1), k) : f.triuMask(x.dim(-2), x.dim(-1), k);
        return Tensor.where(mask, x, Ops.scalarLike(x, 0.0));
    }
}
