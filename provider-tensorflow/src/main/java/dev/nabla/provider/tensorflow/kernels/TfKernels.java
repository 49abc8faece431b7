package dev.nabla.provider.tensorflow.kernels;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.UnsupportedKernelException;
import dev.nabla.provider.tensorflow.runtime.EagerOp;
import dev.nabla.provider.tensorflow.runtime.TfRuntime;
import dev.nabla.provider.tensorflow.storage.TfStorage;
import java.util.ArrayList;
import java.util.Arrays;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.internal.c_api.TFE_TensorHandle;

/**
 * Every primitive kernel of {@link Kernels} as TensorFlow eager ops.
 *
 * <p>A kernel reads its inputs' handles (reshaped to the logical shapes it is given, when they
 * differ from the shapes the handles carry), runs one or a few eager ops, and
 * {@linkplain TfStorage#replace replaces} the {@code out} storage's handle with the result.
 * Intermediate handles are deleted before the kernel returns. Where TensorFlow's op differs from
 * Nabla's contract the kernel composes the exact meaning:
 * <ul>
 *   <li>integer {@code DIV} is floor division guarded against {@code MIN / -1} (which traps in C++)
 *       and turns TensorFlow's division-by-zero error into an {@link ArithmeticException};</li>
 *   <li>float to integer casts replace NaN by 0 and saturate before truncating (Java's cast);</li>
 *   <li>{@code argReduce} takes the first extreme on ties and the first NaN when there is one
 *       (TensorFlow's ArgMax does not promise which tie it returns);</li>
 *   <li>bool comparisons other than equality go through int32;</li>
 *   <li>strided reads and writes, {@code gather}, {@code scatterAdd} and {@code indexAdd} become
 *       {@code GatherV2}/{@code TensorScatterAdd}/{@code TensorScatterUpdate} over flat positions
 *       computed on the host from shapes and strides.</li>
 * </ul>
 */
public final class TfKernels implements Kernels {
    private static final long[] SCALAR = new long[0];
    private static final double TWO_TO_63 = 9.223372036854775808E18;

    private final TfRuntime rt;

    /**
     * Kernels over the given runtime.
     *
     * @param runtime the eager context the ops run in
     */
    public TfKernels(TfRuntime runtime) {
        this.rt = runtime;
    }

    /** Handles created while one kernel runs, deleted when it returns. */
    final class Scratch implements AutoCloseable {
        private final ArrayList<TFE_TensorHandle> temps = new ArrayList<>(6);

        /** Registers a temporary handle and returns it. */
        TFE_TensorHandle temp(TFE_TensorHandle h) {
            temps.add(h);
            return h;
        }

        @Override
        public void close() {
            for (TFE_TensorHandle h : temps) {
                rt.delete(h);
            }
            temps.clear();
        }
    }

    // ------------------------------------------------------------------ memory

    @Override
    public Storage allocate(DType dtype, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("tensorflow backend: allocate: negative size " + size);
        }
        return TfStorage.zeros(rt, dtype, size);
    }

    @Override
    public Storage fromArray(Object array) {
        DType dtype = switch (array) {
            case float[] a -> DType.FLOAT32;
            case double[] a -> DType.FLOAT64;
            case int[] a -> DType.INT32;
            case long[] a -> DType.INT64;
            case boolean[] a -> DType.BOOL;
            case null -> throw new IllegalArgumentException("tensorflow backend: fromArray: array is null");
            default -> throw new IllegalArgumentException("tensorflow backend: fromArray: unsupported array type "
                    + array.getClass().getTypeName() + "; expected float[], double[], int[], long[] or boolean[]");
        };
        long n = java.lang.reflect.Array.getLength(array);
        long[] dims = {n};
        return new TfStorage(rt, dtype, n, rt.trackHost(rt.upload(dtype, dims, array)), dims);
    }

    @Override
    public Object toArray(Storage storage) {
        TfStorage s = TfStorage.of(storage);
        return rt.download(s.handle(), s.dtype(), s.size());
    }

    @Override
    public void fill(Storage out, double value) {
        TfStorage o = TfStorage.of(out);
        long[] dims = o.dims();
        o.replace(rt.trackHost(rt.filled(o.dtype(), dims, value)), dims);
    }

    @Override
    public void copy(Storage src, Storage out) {
        TfStorage s = TfStorage.of(src);
        TfStorage o = TfStorage.of(out);
        if (s == o) {
            return;
        }
        o.replace(rt.share(s.handle()), s.dims());
    }

    @Override
    public void cast(Storage src, Storage out) {
        TfStorage s = TfStorage.of(src);
        TfStorage o = TfStorage.of(out);
        DType from = s.dtype();
        DType to = o.dtype();
        if (from == to) {
            copy(src, out);
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle x = s.handle();
            long[] dims = s.dims();
            if (from.isFloatingPoint() && to.isInteger()) {
                x = k.temp(saturateForIntegerCast(k, x, from, to, dims));
                from = DType.FLOAT64;
            }
            TFE_TensorHandle r = castOp(x, from, to);
            if (to == DType.INT64 && s.dtype().isFloatingPoint()) {
                // x >= 2^63 saturates to Long.MAX_VALUE (clipping cannot reach it in double)
                k.temp(r);
                TFE_TensorHandle wide = s.dtype() == DType.FLOAT32
                        ? k.temp(castOp(s.handle(), DType.FLOAT32, DType.FLOAT64)) : s.handle();
                TFE_TensorHandle big = k.temp(binaryOp("GreaterEqual", DType.FLOAT64, wide,
                        k.temp(scalar(DType.FLOAT64, TWO_TO_63))));
                TFE_TensorHandle max = k.temp(constant(new long[] {Long.MAX_VALUE}, SCALAR));
                r = select(big, max, r, DType.INT64);
            }
            o.replace(r, dims);
        }
    }

    /** NaN to 0, then clipped to the target's range, in float64: what a Java cast does before truncating. */
    private TFE_TensorHandle saturateForIntegerCast(Scratch k, TFE_TensorHandle x, DType from, DType to, long[] dims) {
        TFE_TensorHandle wide = from == DType.FLOAT32 ? k.temp(castOp(x, from, DType.FLOAT64)) : x;
        double lo = to == DType.INT32 ? Integer.MIN_VALUE : -TWO_TO_63;
        double hi = to == DType.INT32 ? Integer.MAX_VALUE : Math.nextDown(TWO_TO_63);
        TFE_TensorHandle clipped;
        try (EagerOp op = EagerOp.of(rt, "ClipByValue")) {
            clipped = k.temp(op.input(wide).input(k.temp(scalar(DType.FLOAT64, lo)))
                    .input(k.temp(scalar(DType.FLOAT64, hi))).type("T", DType.FLOAT64).execute());
        }
        TFE_TensorHandle nan = k.temp(unaryOp("IsNan", DType.FLOAT64, wide));
        return select(nan, k.temp(scalar(DType.FLOAT64, 0.0)), clipped, DType.FLOAT64);
    }

    private TFE_TensorHandle castOp(TFE_TensorHandle x, DType from, DType to) {
        try (EagerOp op = EagerOp.of(rt, "Cast")) {
            return op.input(x).type("SrcT", from).type("DstT", to).bool("Truncate", false).execute();
        }
    }

    // ------------------------------------------------------------------ elementwise

    @Override
    public void unary(UnaryOp op, Storage x, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage o = TfStorage.of(out);
        DType dtype = s.dtype();
        String name = unaryName(op, dtype);
        o.replace(unaryOp(name, dtype, s.handle()), s.dims());
    }

    private static String unaryName(UnaryOp op, DType dtype) {
        if (dtype == DType.BOOL) {
            if (op != UnaryOp.LOGICAL_NOT) {
                throw unsupported("unary(" + op + ")", dtype);
            }
            return "LogicalNot";
        }
        boolean integer = dtype.isInteger();
        return switch (op) {
            case NEG -> "Neg";
            case ABS -> "Abs";
            case SIGN -> "Sign";
            case RELU -> "Relu";
            case LOGICAL_NOT -> throw unsupported("unary(" + op + ")", dtype);
            default -> {
                if (integer) {
                    throw unsupported("unary(" + op + ")", dtype);
                }
                yield switch (op) {
                    case EXP -> "Exp";
                    case EXPM1 -> "Expm1";
                    case LOG -> "Log";
                    case LOG1P -> "Log1p";
                    case SQRT -> "Sqrt";
                    case SIN -> "Sin";
                    case COS -> "Cos";
                    case TANH -> "Tanh";
                    case SIGMOID -> "Sigmoid";
                    case ERF -> "Erf";
                    case FLOOR -> "Floor";
                    default -> throw new IllegalStateException(op.name());
                };
            }
        };
    }

    @Override
    public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out,
                       Shape outShape) {
        TfStorage sa = TfStorage.of(a);
        TfStorage sb = TfStorage.of(b);
        TfStorage o = TfStorage.of(out);
        DType dtype = sa.dtype();
        checkBinary(op, dtype);
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle x = view(k, sa, aShape);
            TFE_TensorHandle y = view(k, sb, bShape);
            TFE_TensorHandle r = switch (op) {
                case ADD -> binaryOp("AddV2", dtype, x, y);
                case SUB -> binaryOp("Sub", dtype, x, y);
                case MUL -> binaryOp("Mul", dtype, x, y);
                case DIV -> dtype.isFloatingPoint() ? binaryOp("RealDiv", dtype, x, y) : integerFloorDiv(k, dtype, x, y);
                case POW -> integerAware("pow", () -> binaryOp("Pow", dtype, x, y));
                case MAX -> binaryOp("Maximum", dtype, x, y);
                case MIN -> binaryOp("Minimum", dtype, x, y);
                case EQ -> binaryOp("Equal", dtype, x, y);
                case NE -> binaryOp("NotEqual", dtype, x, y);
                case LT, LE, GT, GE -> compare(k, op, dtype, x, y);
                case AND -> binaryOp("LogicalAnd", null, x, y);
                case OR -> binaryOp("LogicalOr", null, x, y);
            };
            o.replace(r, dims(outShape));
        }
    }

    private static void checkBinary(BinaryOp op, DType dtype) {
        boolean ok = op.isComparison() || (op.isLogical() ? dtype == DType.BOOL : dtype != DType.BOOL);
        if (!ok) {
            throw unsupported("binary(" + op + ")", dtype);
        }
    }

    private TFE_TensorHandle compare(Scratch k, BinaryOp op, DType dtype, TFE_TensorHandle x, TFE_TensorHandle y) {
        String name = switch (op) {
            case LT -> "Less";
            case LE -> "LessEqual";
            case GT -> "Greater";
            default -> "GreaterEqual";
        };
        if (dtype == DType.BOOL) {
            return binaryOp(name, DType.INT32, k.temp(castOp(x, DType.BOOL, DType.INT32)),
                    k.temp(castOp(y, DType.BOOL, DType.INT32)));
        }
        return binaryOp(name, dtype, x, y);
    }

    /**
     * Python's {@code //} on integers: {@code FloorDiv} with the divisor {@code -1} replaced by a
     * negation ({@code MIN / -1} traps in C++; Java wraps it to {@code MIN}).
     */
    private TFE_TensorHandle integerFloorDiv(Scratch k, DType dtype, TFE_TensorHandle x, TFE_TensorHandle y) {
        TFE_TensorHandle minusOne = k.temp(scalar(dtype, -1));
        TFE_TensorHandle isMinusOne = k.temp(binaryOp("Equal", dtype, y, minusOne));
        TFE_TensorHandle safe = k.temp(select(isMinusOne, k.temp(scalar(dtype, 1)), y, dtype));
        TFE_TensorHandle q = k.temp(integerAware("div", () -> binaryOp("FloorDiv", dtype, x, safe)));
        TFE_TensorHandle neg = k.temp(unaryOp("Neg", dtype, x));
        return select(isMinusOne, neg, q, dtype);
    }

    /** Runs an integer op, turning TensorFlow's arithmetic errors into {@link ArithmeticException}. */
    private static TFE_TensorHandle integerAware(String what, java.util.function.Supplier<TFE_TensorHandle> op) {
        try {
            return op.get();
        } catch (IllegalArgumentException | TensorFlowException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("division by zero")) {
                throw new ArithmeticException("tensorflow backend: " + what + ": integer division by zero");
            }
            if (m.contains("negative integer powers")) {
                throw new ArithmeticException("tensorflow backend: " + what
                        + ": negative integer exponent (the result is not an integer; use a floating dtype)");
            }
            throw e;
        }
    }

    @Override
    public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                      Storage out, Shape outShape) {
        TfStorage c = TfStorage.of(cond);
        if (c.dtype() != DType.BOOL) {
            throw unsupported("where (condition operand)", c.dtype());
        }
        TfStorage sa = TfStorage.of(a);
        TfStorage sb = TfStorage.of(b);
        TfStorage o = TfStorage.of(out);
        try (Scratch k = new Scratch()) {
            o.replace(select(view(k, c, condShape), view(k, sa, aShape), view(k, sb, bShape), sa.dtype()),
                    dims(outShape));
        }
    }

    // ------------------------------------------------------------------ reductions and scans

    @Override
    public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage o = TfStorage.of(out);
        DType dtype = s.dtype();
        if (dtype == DType.BOOL) {
            throw unsupported("reduce(" + op + ")", dtype);
        }
        if (axes.length == 0) {
            copy(x, out);
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle v = view(k, s, shape);
            String name = switch (op) {
                case SUM -> "Sum";
                case MAX -> "Max";
                case MIN -> "Min";
            };
            o.replace(reduceOp(k, name, dtype, v, axes), keptDims(shape, axes));
        }
    }

    private TFE_TensorHandle reduceOp(Scratch k, String name, DType dtype, TFE_TensorHandle v, int[] axes) {
        TFE_TensorHandle ax = k.temp(constant(toLongs(axes), new long[] {axes.length}));
        try (EagerOp op = EagerOp.of(rt, name)) {
            op.input(v).input(ax).bool("keep_dims", true).typeCode("Tidx", 9);
            if (dtype != null) {
                op.type("T", dtype);
            }
            return op.execute();
        }
    }

    @Override
    public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage o = TfStorage.of(out);
        DType dtype = s.dtype();
        if (dtype == DType.BOOL) {
            throw unsupported(max ? "argmax" : "argmin", dtype);
        }
        if (o.dtype() != DType.INT64) {
            throw unsupported((max ? "argmax" : "argmin") + " (result operand)", o.dtype());
        }
        int[] d = shape.dims();
        int n = d[axis];
        long[] outDims = keptDims(shape, new int[] {axis});
        if (o.size() == 0 || n == 0) {
            o.replace(rt.trackHost(rt.filled(DType.INT64, outDims, 0)), outDims);
            return;
        }
        int[] ax = {axis};
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle v = view(k, s, shape);
            TFE_TensorHandle extreme = k.temp(reduceOp(k, max ? "Max" : "Min", dtype, v, ax));
            TFE_TensorHandle hit = k.temp(binaryOp("Equal", dtype, v, extreme));
            if (dtype.isFloatingPoint()) {
                // the first NaN wins outright (NumPy's choice)
                TFE_TensorHandle nan = k.temp(unaryOp("IsNan", dtype, v));
                TFE_TensorHandle anyNan = k.temp(reduceOp(k, "Any", null, nan, ax));
                hit = k.temp(select(anyNan, nan, hit, DType.BOOL));
            }
            long[] positions = new long[n];
            for (int j = 0; j < n; j++) {
                positions[j] = j;
            }
            long[] along = new long[d.length];
            Arrays.fill(along, 1);
            along[axis] = n;
            TFE_TensorHandle index = k.temp(constant(positions, along));
            TFE_TensorHandle none = k.temp(constant(new long[] {n}, SCALAR));
            TFE_TensorHandle candidates = k.temp(select(hit, index, none, DType.INT64));
            o.replace(reduceOp(k, "Min", DType.INT64, candidates, ax), outDims);
        }
    }

    @Override
    public void cumsum(Storage x, Shape shape, int axis, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage o = TfStorage.of(out);
        DType dtype = s.dtype();
        if (dtype == DType.BOOL) {
            throw unsupported("cumsum", dtype);
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle v = view(k, s, shape);
            TFE_TensorHandle ax = k.temp(constant(new long[] {axis}, SCALAR));
            try (EagerOp op = EagerOp.of(rt, "Cumsum")) {
                o.replace(op.input(v).input(ax).type("T", dtype).typeCode("Tidx", 9)
                        .bool("exclusive", false).bool("reverse", false).execute(), dims(shape));
            }
        }
    }

    // ------------------------------------------------------------------ linear algebra

    @Override
    public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                       Storage out, Shape outShape) {
        TfStorage sa = TfStorage.of(a);
        TfStorage sb = TfStorage.of(b);
        TfStorage o = TfStorage.of(out);
        DType dtype = sa.dtype();
        if (!dtype.isFloatingPoint()) {
            throw unsupported("matmul", dtype);
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle x = view(k, sa, aShape);
            TFE_TensorHandle y = view(k, sb, bShape);
            TFE_TensorHandle r;
            if (aShape.rank() == 2) {
                try (EagerOp op = EagerOp.of(rt, "MatMul")) {
                    r = op.input(x).input(y).type("T", dtype).bool("transpose_a", transposeA)
                            .bool("transpose_b", transposeB).execute();
                }
            } else {
                try (EagerOp op = EagerOp.of(rt, "BatchMatMulV2")) {
                    r = op.input(x).input(y).type("T", dtype).bool("adj_x", transposeA)
                            .bool("adj_y", transposeB).execute();
                }
            }
            o.replace(r, dims(outShape));
        }
    }

    // ------------------------------------------------------------------ layout

    @Override
    public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage o = TfStorage.of(out);
        long[] outDims = dims(outShape);
        if (o.size() == 0) {
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle flat = view(k, s, new long[] {s.size()});
            long[] pos = Positions.strided(outShape.dims(), offset, strides);
            TFE_TensorHandle index = k.temp(constant(pos, outDims));
            o.replace(gatherOp(k, s.dtype(), flat, index, 0), outDims);
        }
    }

    @Override
    public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides,
                             boolean accumulate) {
        TfStorage s = TfStorage.of(src);
        TfStorage o = TfStorage.of(out);
        if (accumulate && o.dtype() == DType.BOOL) {
            throw unsupported("stridedWrite(accumulate)", DType.BOOL);
        }
        if (s.size() == 0) {
            return;
        }
        try (Scratch k = new Scratch()) {
            long[] pos = Positions.strided(srcShape.dims(), offset, strides);
            TFE_TensorHandle index = k.temp(constant(pos, new long[] {pos.length, 1}));
            scatterInto(k, o, index, view(k, s, new long[] {pos.length}), accumulate);
        }
    }

    /** {@code out.flat[index[i]] (+)= updates[i]}; {@code index} is int64 {@code [n, 1]}, updates {@code [n]}. */
    private void scatterInto(Scratch k, TfStorage out, TFE_TensorHandle index, TFE_TensorHandle updates,
                             boolean accumulate) {
        long[] flatDims = {out.size()};
        TFE_TensorHandle target = view(k, out, flatDims);
        try (EagerOp op = EagerOp.of(rt, accumulate ? "TensorScatterAdd" : "TensorScatterUpdate")) {
            out.replace(op.input(target).input(index).input(updates).type("T", out.dtype())
                    .typeCode("Tindices", 9).execute(), flatDims);
        }
    }

    // ------------------------------------------------------------------ indexing

    @Override
    public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage i = int64(index, "indexSelect");
        TfStorage o = TfStorage.of(out);
        long[] outDims = dims(shape);
        outDims[axis] = i.size();
        if (o.size() == 0) {
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle v = view(k, s, shape);
            TFE_TensorHandle idx = view(k, i, new long[] {i.size()});
            o.replace(gatherOp(k, s.dtype(), v, idx, axis), outDims);
        }
    }

    @Override
    public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
        TfStorage s = TfStorage.of(src);
        TfStorage i = int64(index, "indexAdd");
        TfStorage o = TfStorage.of(out);
        if (o.dtype() == DType.BOOL) {
            throw unsupported("indexAdd", DType.BOOL);
        }
        if (s.size() == 0) {
            return;
        }
        int[] d = outShape.dims();
        int count = Math.toIntExact(i.size());
        int n = d[axis];
        long inner = 1;
        for (int q = axis + 1; q < d.length; q++) {
            inner *= d[q];
        }
        long outer = s.size() / ((long) count * inner);
        try (Scratch k = new Scratch()) {
            // position of src[o, j, in] is (o·n + index[j])·inner + in
            long[] base = Positions.strided(new int[] {(int) outer, count, (int) inner}, 0,
                    new long[] {(long) n * inner, 0, 1});
            TFE_TensorHandle baseH = k.temp(constant(base, new long[] {outer, count, inner}));
            TFE_TensorHandle idx = view(k, i, new long[] {1, count, 1});
            TFE_TensorHandle scaled = k.temp(binaryOp("Mul", DType.INT64, idx,
                    k.temp(constant(new long[] {inner}, SCALAR))));
            TFE_TensorHandle pos = k.temp(binaryOp("AddV2", DType.INT64, baseH, scaled));
            TFE_TensorHandle column = k.temp(reshape(pos, DType.INT64, new long[] {s.size(), 1}));
            scatterInto(k, o, column, view(k, s, new long[] {s.size()}), true);
        }
    }

    @Override
    public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
        TfStorage s = TfStorage.of(x);
        TfStorage i = int64(index, "gather");
        TfStorage o = TfStorage.of(out);
        if (o.size() == 0) {
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle pos = k.temp(alongAxisPositions(k, i, indexShape, shape, axis));
            TFE_TensorHandle flat = view(k, s, new long[] {s.size()});
            o.replace(gatherOp(k, s.dtype(), flat, pos, 0), dims(indexShape));
        }
    }

    @Override
    public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
        TfStorage s = TfStorage.of(src);
        TfStorage i = int64(index, "scatterAdd");
        TfStorage o = TfStorage.of(out);
        if (o.dtype() == DType.BOOL) {
            throw unsupported("scatterAdd", DType.BOOL);
        }
        if (i.size() == 0) {
            return;
        }
        try (Scratch k = new Scratch()) {
            TFE_TensorHandle pos = k.temp(alongAxisPositions(k, i, indexShape, outShape, axis));
            TFE_TensorHandle column = k.temp(reshape(pos, DType.INT64, new long[] {i.size(), 1}));
            scatterInto(k, o, column, view(k, s, new long[] {i.size()}), true);
        }
    }

    /** Flat positions in a tensor of {@code target} of the elements {@code index} picks along {@code axis}. */
    private TFE_TensorHandle alongAxisPositions(Scratch k, TfStorage index, Shape indexShape, Shape target, int axis) {
        long[] base = Positions.baseExceptAxis(indexShape.dims(), target.dims(), axis);
        long axisStride = Positions.rowMajor(target.dims())[axis];
        long[] idims = dims(indexShape);
        TFE_TensorHandle baseH = k.temp(constant(base, idims));
        TFE_TensorHandle idx = view(k, index, idims);
        TFE_TensorHandle scaled = k.temp(binaryOp("Mul", DType.INT64, idx,
                k.temp(constant(new long[] {axisStride}, SCALAR))));
        return binaryOp("AddV2", DType.INT64, baseH, scaled);
    }

    // ------------------------------------------------------------------ op helpers

    private TFE_TensorHandle unaryOp(String name, DType dtype, TFE_TensorHandle x) {
        try (EagerOp op = EagerOp.of(rt, name)) {
            op.input(x);
            if (dtype != DType.BOOL) {
                op.type("T", dtype);
            }
            return op.execute();
        }
    }

    /** A binary op with type attribute {@code T} (none when {@code dtype} is null, for the logical ops). */
    private TFE_TensorHandle binaryOp(String name, DType dtype, TFE_TensorHandle x, TFE_TensorHandle y) {
        try (EagerOp op = EagerOp.of(rt, name)) {
            op.input(x).input(y);
            if (dtype != null) {
                op.type("T", dtype);
            }
            return op.execute();
        }
    }

    /** {@code cond ? a : b} with broadcasting ({@code SelectV2}). */
    TFE_TensorHandle select(TFE_TensorHandle cond, TFE_TensorHandle a, TFE_TensorHandle b, DType dtype) {
        try (EagerOp op = EagerOp.of(rt, "SelectV2")) {
            return op.input(cond).input(a).input(b).type("T", dtype).execute();
        }
    }

    private TFE_TensorHandle gatherOp(Scratch k, DType dtype, TFE_TensorHandle params, TFE_TensorHandle index,
                                      int axis) {
        TFE_TensorHandle ax = k.temp(constant(new long[] {axis}, SCALAR));
        try (EagerOp op = EagerOp.of(rt, "GatherV2")) {
            return op.input(params).input(index).input(ax).type("Tparams", dtype).typeCode("Tindices", 9)
                    .typeCode("Taxis", 9).integer("batch_dims", 0).execute();
        }
    }

    TFE_TensorHandle reshape(TFE_TensorHandle x, DType dtype, long[] dims) {
        TFE_TensorHandle shape = constant(dims, new long[] {dims.length});
        try (EagerOp op = EagerOp.of(rt, "Reshape")) {
            return op.input(x).input(shape).type("T", dtype).typeCode("Tshape", 9).execute();
        } finally {
            rt.delete(shape);
        }
    }

    /** The storage's handle with TensorFlow shape {@code dims}: itself, or a reshaped temporary. */
    TFE_TensorHandle view(Scratch k, TfStorage s, long[] dims) {
        if (Arrays.equals(s.dims(), dims)) {
            return s.handle();
        }
        return k.temp(reshape(s.handle(), s.dtype(), dims));
    }

    TFE_TensorHandle view(Scratch k, TfStorage s, Shape shape) {
        return view(k, s, dims(shape));
    }

    /** A tracked int64 host constant. */
    private TFE_TensorHandle constant(long[] values, long[] dims) {
        return rt.track(rt.upload(DType.INT64, dims, values));
    }

    /** A tracked scalar host constant of {@code dtype}. */
    private TFE_TensorHandle scalar(DType dtype, double value) {
        return rt.track(rt.filled(dtype, SCALAR, value));
    }

    static long[] dims(Shape shape) {
        int[] d = shape.dims();
        long[] r = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            r[i] = d[i];
        }
        return r;
    }

    private static long[] keptDims(Shape shape, int[] axes) {
        long[] r = dims(shape);
        for (int a : axes) {
            r[a] = 1;
        }
        return r;
    }

    private static long[] toLongs(int[] v) {
        long[] r = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = v[i];
        }
        return r;
    }

    private static TfStorage int64(Storage s, String kernel) {
        TfStorage t = TfStorage.of(s);
        if (t.dtype() != DType.INT64) {
            throw unsupported(kernel + " (index operand)", t.dtype());
        }
        return t;
    }

    static UnsupportedKernelException unsupported(String kernel, DType dtype) {
        return new UnsupportedKernelException("tensorflow backend: kernel " + kernel + " does not support dtype "
                + dtype);
    }
}
