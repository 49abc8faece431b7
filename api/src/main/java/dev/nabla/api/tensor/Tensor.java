package dev.nabla.api.tensor;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Device;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.api.types.Shape;
import java.util.List;

/**
 * An n-dimensional array value: a {@link Shape}, a {@link DType} and a {@link Device}, over storage
 * owned by a {@link Backend}. Tensors are immutable values — every operation returns a new tensor —
 * with one exception: parameters ({@link #toParameter()}), which optimizers update in place.
 *
 * <p>Operations follow NumPy and PyTorch in name and semantics, with broadcasting:
 * {@code x.matmul(w).add(b).tanh()}, {@code logits.logSoftmax(-1)}, {@code t.sum(0, true)}. They are
 * grouped here as creation (see {@link TensorFactory}), elementwise, reduction, linear algebra,
 * shape and indexing, and neural-network operations; each group's implementation lives in its own
 * package-private class. Negative axes count from the end. Binary operations require operands of the
 * same dtype and backend; a Java number operand takes the tensor's dtype.
 *
 * <p><b>Autodiff.</b> A tensor that {@link #requiresGrad()} records the operations computed from it;
 * {@link #backward()} accumulates gradients into the leaves' {@link #grad()}, and
 * {@link Autograd#grad} returns them without accumulating. See {@link Autograd}.
 *
 * <p><b>Memory.</b> A tensor created inside a {@link Scope} is released when the scope closes unless
 * kept; outside any scope the caller owns it and may {@link #close()} it. Using a released tensor
 * throws {@link ReleasedTensorException}.
 */
public final class Tensor implements AutoCloseable {
    private final Backend backend;
    private final Buffer buffer;
    private final Shape shape;
    private final DType dtype;
    private volatile boolean released;
    private boolean requiresGrad;
    private boolean parameter;
    /** True for a leaf's accumulated-gradient buffer, which backward and zeroGrad update in place. */
    private boolean isGradBuffer;
    private Tensor grad;
    /** The recorded operation that produced this tensor; null for leaves. */
    Node gradFn;
    /** The scope that will release this tensor, or null. */
    Scope scope;

    Tensor(Backend backend, Buffer buffer, Shape shape) {
        this(backend, buffer, shape, true);
    }

    private Tensor(Backend backend, Buffer buffer, Shape shape, boolean scoped) {
        this.backend = backend;
        this.buffer = buffer;
        this.shape = shape;
        this.dtype = buffer.storage().dtype();
        if (scoped) {
            Scope s = Scope.current();
            if (s != null) {
                s.adopt(this);
            }
        }
    }

    // =====================================================================================
    // metadata
    // =====================================================================================

    /** The dimensions. */
    public Shape shape() {
        return shape;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** The device holding the storage. */
    public Device device() {
        return backend.device();
    }

    /** The backend holding the storage. */
    public Backend backend() {
        return backend;
    }

    /** Number of axes. */
    public int rank() {
        return shape.rank();
    }

    /** Size of one axis (negative counts from the end). */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** Number of elements. */
    public long numel() {
        return shape.size();
    }

    /** A factory for tensors on the same backend as this one. */
    public TensorFactory factory() {
        return TensorFactory.on(backend);
    }

    /** The backend storage, checked to be live. For backends and the conformance kit. */
    public Storage storage() {
        checkLive("storage");
        return buffer.storage();
    }

    Storage storage(String op) {
        checkLive(op);
        return buffer.storage();
    }

    Buffer buffer() {
        return buffer;
    }

    /** {@code [2, 3] float32}: shape and dtype, for messages. */
    public String describe() {
        return shape + " " + dtype;
    }

    void checkLive(String op) {
        if (released) {
            throw new ReleasedTensorException(op + ": tensor " + describe()
                    + " was released (its scope closed or it was closed); keep() it to use it after its scope");
        }
    }

    // =====================================================================================
    // lifecycle
    // =====================================================================================

    /** True once this tensor has been released. */
    public boolean isReleased() {
        return released;
    }

    /**
     * Releases this tensor's hold on its storage now (storage shared with views is freed when the
     * last holder is released) together with its accumulated gradient. Idempotent.
     */
    @Override
    public void close() {
        if (!released) {
            released = true;
            buffer.release();
            if (grad != null) {
                grad.close();
                grad = null;
            }
        }
    }

    /** Moves this tensor out of its scope into the enclosing one (see {@link Scope#keep}); returns it. */
    public Tensor keep() {
        if (scope != null) {
            scope.keep(this);
        }
        return this;
    }

    /**
     * A new parameter holding a copy of this tensor's values: a leaf that requires grad, belongs to no
     * scope (its owner — a model — closes it) and may be updated in place ({@link #assign},
     * {@link #addInPlace}).
     *
     * @throws DTypeException if the dtype is not floating point
     */
    public Tensor toParameter() {
        Ops.requireFloat("toParameter", this);
        Storage s = backend.kernels().allocate(dtype, shape.size());
        backend.kernels().copy(storage("toParameter"), s);
        Tensor p = new Tensor(backend, new Buffer(s), shape, false);
        p.parameter = true;
        p.requiresGrad = true;
        return p;
    }

    /** True for tensors made by {@link #toParameter()}. */
    public boolean isParameter() {
        return parameter;
    }

    /**
     * Overwrites this parameter's values with {@code value} (same shape and dtype), in place, without
     * recording. Returns this.
     *
     * @throws NablaException if this is not a parameter, or shapes or dtypes differ
     */
    public Tensor assign(Tensor value) {
        requireMutable("assign", value);
        backend.kernels().copy(value.storage("assign"), storage("assign"));
        return this;
    }

    /**
     * Adds {@code alpha * delta} to this parameter in place, without recording. With {@code alpha == 1}
     * it allocates nothing; otherwise one temporary of {@code delta}'s size holds the scaled values.
     * Returns this.
     */
    public Tensor addInPlace(Tensor delta, double alpha) {
        requireMutable("addInPlace", delta);
        Tensor scaled = delta;
        if (alpha != 1.0) {
            try (GradMode ignored = Autograd.noGrad()) {
                scaled = delta.mul(alpha);
            }
        }
        backend.kernels().binary(BinaryOp.ADD, storage("addInPlace"), shape, scaled.storage("addInPlace"), shape,
                storage("addInPlace"), shape);
        if (scaled != delta) {
            scaled.close();
        }
        return this;
    }

    private void requireMutable(String op, Tensor value) {
        if (!parameter && !isGradBuffer) {
            throw new NablaException(op + ": tensor " + describe()
                    + " is an immutable value; only parameters (toParameter()) are updated in place");
        }
        value.checkLive(op);
        Ops.sameBackend(op, this, value);
        if (!value.shape.equals(shape) || value.dtype != dtype) {
            throw new dev.nabla.api.types.ShapeException(op + ": value " + value.describe()
                    + " does not match " + describe());
        }
    }

    // =====================================================================================
    // autodiff
    // =====================================================================================

    void requiresGradInternal() {
        requiresGrad = true;
    }

    /** True if operations on this tensor are recorded for autodiff. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as wanting gradients (or not). Returns this.
     *
     * @throws DTypeException    if turning it on for a non-floating dtype
     * @throws NablaException    if this is not a leaf (it was computed from tensors that require grad)
     */
    public Tensor requiresGrad(boolean wanted) {
        if (gradFn != null) {
            throw new NablaException("requiresGrad: tensor " + describe() + " is the result of '" + gradFn.op
                    + "', not a leaf; use detach() to get a leaf");
        }
        if (wanted) {
            Ops.requireFloat("requiresGrad", this);
        }
        requiresGrad = wanted;
        return this;
    }

    /** True if this tensor was not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The name of the recorded operation that produced this tensor, or null for a leaf. */
    public String gradFnName() {
        return gradFn == null ? null : gradFn.op;
    }

    /** The gradient accumulated by {@link #backward()} calls into this leaf, or null if none yet. */
    public Tensor grad() {
        return grad;
    }

    /** Clears the accumulated gradient (sets it to zero in place, keeping its storage). */
    public void zeroGrad() {
        if (grad != null) {
            backend.kernels().fill(grad.storage(), 0.0);
        }
    }

    void accumulateGrad(Tensor g) {
        if (g.dtype != dtype || !g.shape.equals(shape)) {
            throw new NablaException("backward: gradient " + g.describe() + " does not match leaf " + describe());
        }
        if (grad == null) {
            Storage s = backend.kernels().allocate(dtype, shape.size());
            backend.kernels().copy(g.storage("backward"), s);
            grad = new Tensor(backend, new Buffer(s), shape, false);
            grad.isGradBuffer = true;
        } else {
            backend.kernels().binary(BinaryOp.ADD, grad.storage(), shape, g.storage("backward"), shape,
                    grad.storage(), shape);
        }
    }

    /**
     * Computes the gradient of this scalar with respect to every leaf that requires grad and adds it
     * to that leaf's {@link #grad()}.
     */
    public void backward() {
        Autograd.backward(this, null);
    }

    /** As {@link #backward()}, for a non-scalar output, given the gradient {@code seed} of the output. */
    public void backward(Tensor seed) {
        Autograd.backward(this, seed);
    }

    /** This tensor's values as a new leaf that does not require grad (shares storage; no copy). */
    public Tensor detach() {
        checkLive("detach");
        return new Tensor(backend, buffer.retain(), shape);
    }

    // =====================================================================================
    // conversion
    // =====================================================================================

    /** The values as a flat float array (row-major), converting from the dtype. */
    public float[] toFloatArray() {
        return (float[]) Ops.hostArray(this, DType.FLOAT32);
    }

    /** The values as a flat double array (row-major), converting from the dtype. */
    public double[] toDoubleArray() {
        return (double[]) Ops.hostArray(this, DType.FLOAT64);
    }

    /** The values as a flat int array (row-major), converting from the dtype (floats truncate). */
    public int[] toIntArray() {
        return (int[]) Ops.hostArray(this, DType.INT32);
    }

    /** The values as a flat long array (row-major), converting from the dtype (floats truncate). */
    public long[] toLongArray() {
        return (long[]) Ops.hostArray(this, DType.INT64);
    }

    /** The values as a flat boolean array (row-major); numbers are true when non-zero. */
    public boolean[] toBooleanArray() {
        return (boolean[]) Ops.hostArray(this, DType.BOOL);
    }

    /**
     * The single value of a one-element tensor, as a double.
     *
     * @throws dev.nabla.api.types.ShapeException if the tensor has more or fewer than one element
     */
    public double item() {
        Ops.requireOneElement("item", this);
        return toDoubleArray()[0];
    }

    /** The single value of a one-element tensor, as a long (exact for int64). */
    public long itemLong() {
        Ops.requireOneElement("itemLong", this);
        return toLongArray()[0];
    }

    /** This tensor converted to {@code target} (a copy even when the dtype is the same; differentiable between floating dtypes). */
    public Tensor to(DType target) {
        return Elementwise.cast(this, target);
    }

    /**
     * Zeros of {@code t}'s shape, dtype and backend (PyTorch's {@code zeros_like}); a new tensor that
     * does not require grad, in the current scope.
     */
    public static Tensor zerosLike(Tensor t) {
        return fullLike(t, 0.0, "zerosLike");
    }

    /** Ones of {@code t}'s shape, dtype and backend (PyTorch's {@code ones_like}). */
    public static Tensor onesLike(Tensor t) {
        return fullLike(t, 1.0, "onesLike");
    }

    /** {@code value} (converted to {@code t}'s dtype) in {@code t}'s shape, dtype and backend. */
    public static Tensor fullLike(Tensor t, double value) {
        return fullLike(t, value, "fullLike");
    }

    private static Tensor fullLike(Tensor t, double value, String op) {
        java.util.Objects.requireNonNull(t, op + ": tensor");
        t.checkLive(op);
        return Ops.full(t.backend, t.dtype, t.shape, value);
    }

    /** Shape, dtype, device and up to a few values of each axis, e.g. {@code Tensor[2, 3] float32 cpu [[1, 2, 3], [4, 5, 6]]}. */
    @Override
    public String toString() {
        return Format.format(this);
    }

    // =====================================================================================
    // elementwise, unary
    // =====================================================================================

    /** {@code -x}. */
    public Tensor neg() {
        return Elementwise.unary("neg", UnaryOp.NEG, this);
    }

    /** {@code |x|}. */
    public Tensor abs() {
        return Elementwise.unary("abs", UnaryOp.ABS, this);
    }

    /** {@code -1, 0 or 1} by sign; its gradient is zero. */
    public Tensor sign() {
        return Elementwise.unary("sign", UnaryOp.SIGN, this);
    }

    /** {@code e^x}. */
    public Tensor exp() {
        return Elementwise.unary("exp", UnaryOp.EXP, this);
    }

    /** {@code e^x - 1}, accurate near zero. */
    public Tensor expm1() {
        return Elementwise.unary("expm1", UnaryOp.EXPM1, this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Elementwise.unary("log", UnaryOp.LOG, this);
    }

    /** {@code log(1 + x)}, accurate near zero. */
    public Tensor log1p() {
        return Elementwise.unary("log1p", UnaryOp.LOG1P, this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Elementwise.unary("sqrt", UnaryOp.SQRT, this);
    }

    /** {@code x²}. */
    public Tensor square() {
        return Elementwise.square(this);
    }

    /** {@code 1 / x}. */
    public Tensor reciprocal() {
        return Elementwise.reciprocal(this);
    }

    /** Sine. */
    public Tensor sin() {
        return Elementwise.unary("sin", UnaryOp.SIN, this);
    }

    /** Cosine. */
    public Tensor cos() {
        return Elementwise.unary("cos", UnaryOp.COS, this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Elementwise.unary("tanh", UnaryOp.TANH, this);
    }

    /** Logistic sigmoid {@code σ(x) = 1 / (1 + e^-x)}. */
    public Tensor sigmoid() {
        return Elementwise.unary("sigmoid", UnaryOp.SIGMOID, this);
    }

    /**
     * {@code max(x, 0)}; its gradient passes {@code ∂L/∂y} where {@code x > 0} and 0 elsewhere, in one pass through
     * the backend's fused {@link dev.nabla.api.backend.ReluGradKernel} when it has one.
     */
    public Tensor relu() {
        return Elementwise.unary("relu", UnaryOp.RELU, this);
    }

    /** {@code x} for {@code x > 0}, else {@code slope · x}. */
    public Tensor leakyRelu(double slope) {
        return Elementwise.leakyRelu(this, slope);
    }

    /** {@code x} for {@code x > 0}, else {@code alpha · (e^x - 1)}. */
    public Tensor elu(double alpha) {
        return Elementwise.elu(this, alpha);
    }

    /** Exact GELU, {@code x · Φ(x) = x/2 · (1 + erf(x/√2))}. */
    public Tensor gelu() {
        return Elementwise.gelu(this);
    }

    /** {@code log(1 + e^x)}, computed stably as {@code max(x,0) + log1p(e^-|x|)}. */
    public Tensor softplus() {
        return Elementwise.softplus(this);
    }

    /** The error function. */
    public Tensor erf() {
        return Elementwise.unary("erf", UnaryOp.ERF, this);
    }

    /** Round toward negative infinity; its gradient is zero. */
    public Tensor floor() {
        return Elementwise.unary("floor", UnaryOp.FLOOR, this);
    }

    /** Logical NOT of a bool tensor. */
    public Tensor logicalNot() {
        return Elementwise.unary("logicalNot", UnaryOp.LOGICAL_NOT, this);
    }

    // =====================================================================================
    // elementwise, binary (broadcasting)
    // =====================================================================================

    /** {@code this + other}. */
    public Tensor add(Tensor other) {
        return Elementwise.binary("add", BinaryOp.ADD, this, other);
    }

    /** {@code this + value}. */
    public Tensor add(double value) {
        return add(Ops.scalarLike(this, value));
    }

    /** {@code this - other}. */
    public Tensor sub(Tensor other) {
        return Elementwise.binary("sub", BinaryOp.SUB, this, other);
    }

    /** {@code this - value}. */
    public Tensor sub(double value) {
        return sub(Ops.scalarLike(this, value));
    }

    /** {@code this · other}. */
    public Tensor mul(Tensor other) {
        return Elementwise.binary("mul", BinaryOp.MUL, this, other);
    }

    /** {@code this · value}. */
    public Tensor mul(double value) {
        return mul(Ops.scalarLike(this, value));
    }

    /** {@code this / other} (floor division on integer dtypes). */
    public Tensor div(Tensor other) {
        return Elementwise.binary("div", BinaryOp.DIV, this, other);
    }

    /** {@code this / value}. */
    public Tensor div(double value) {
        return div(Ops.scalarLike(this, value));
    }

    /** {@code value - this}, the reversed {@link #sub(double)}: {@code 1 - z} is {@code z.rsub(1.0)}. */
    public Tensor rsub(double value) {
        return Elementwise.binary("rsub", BinaryOp.SUB, Ops.scalarLike(this, value), this);
    }

    /**
     * {@code value / this}, the reversed {@link #div(double)} (floor division on integer dtypes):
     * {@code 1 / z} is {@code z.rdiv(1.0)}.
     */
    public Tensor rdiv(double value) {
        return Elementwise.binary("rdiv", BinaryOp.DIV, Ops.scalarLike(this, value), this);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(Tensor exponent) {
        return Elementwise.binary("pow", BinaryOp.POW, this, exponent);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(double exponent) {
        return Elementwise.powScalar(this, exponent);
    }

    /** Elementwise maximum (ties split the gradient evenly). */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary("maximum", BinaryOp.MAX, this, other);
    }

    /** Elementwise maximum with a number. */
    public Tensor maximum(double value) {
        return maximum(Ops.scalarLike(this, value));
    }

    /** Elementwise minimum (ties split the gradient evenly). */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary("minimum", BinaryOp.MIN, this, other);
    }

    /** Elementwise minimum with a number. */
    public Tensor minimum(double value) {
        return minimum(Ops.scalarLike(this, value));
    }

    /** {@code this == other}, bool. */
    public Tensor eq(Tensor other) {
        return Elementwise.binary("eq", BinaryOp.EQ, this, other);
    }

    /** {@code this == value}, bool. */
    public Tensor eq(double value) {
        return eq(Ops.scalarLike(this, value));
    }

    /** {@code this != other}, bool. */
    public Tensor ne(Tensor other) {
        return Elementwise.binary("ne", BinaryOp.NE, this, other);
    }

    /** {@code this != value}, bool. */
    public Tensor ne(double value) {
        return ne(Ops.scalarLike(this, value));
    }

    /** {@code this < other}, bool. */
    public Tensor lt(Tensor other) {
        return Elementwise.binary("lt", BinaryOp.LT, this, other);
    }

    /** {@code this < value}, bool. */
    public Tensor lt(double value) {
        return lt(Ops.scalarLike(this, value));
    }

    /** {@code this <= other}, bool. */
    public Tensor le(Tensor other) {
        return Elementwise.binary("le", BinaryOp.LE, this, other);
    }

    /** {@code this <= value}, bool. */
    public Tensor le(double value) {
        return le(Ops.scalarLike(this, value));
    }

    /** {@code this > other}, bool. */
    public Tensor gt(Tensor other) {
        return Elementwise.binary("gt", BinaryOp.GT, this, other);
    }

    /** {@code this > value}, bool. */
    public Tensor gt(double value) {
        return gt(Ops.scalarLike(this, value));
    }

    /** {@code this >= other}, bool. */
    public Tensor ge(Tensor other) {
        return Elementwise.binary("ge", BinaryOp.GE, this, other);
    }

    /** {@code this >= value}, bool. */
    public Tensor ge(double value) {
        return ge(Ops.scalarLike(this, value));
    }

    /** Logical AND of bool tensors. */
    public Tensor logicalAnd(Tensor other) {
        return Elementwise.binary("logicalAnd", BinaryOp.AND, this, other);
    }

    /** Logical OR of bool tensors. */
    public Tensor logicalOr(Tensor other) {
        return Elementwise.binary("logicalOr", BinaryOp.OR, this, other);
    }

    /** {@code condition ? a : b} elementwise, broadcasting all three; {@code condition} is bool. */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Elementwise.where(condition, a, b);
    }

    /**
     * This tensor with {@code value} wherever the bool {@code mask} (broadcast to this shape) is true;
     * the gradient flows where it is false. A causal attention mask:
     * {@code scores.maskedFill(f.triuMask(t, t, 1), Double.NEGATIVE_INFINITY)}.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        return Elementwise.maskedFill(this, mask, value);
    }

    /** Values limited to {@code [min, max]}; the gradient flows where {@code min <= x <= max}. */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    // =====================================================================================
    // reductions
    // =====================================================================================

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return Reductions.reduce("sum", ReduceOp.SUM, this, Ops.allAxes(this), false);
    }

    /** Sum over one axis. */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, new int[] {axis}, keepDims);
    }

    /** Sum over a set of axes. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, axes, keepDims);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return Reductions.mean(this, Ops.allAxes(this), false);
    }

    /** Mean over one axis. */
    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, new int[] {axis}, keepDims);
    }

    /** Mean over a set of axes. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** Maximum of all elements. */
    public Tensor max() {
        return Reductions.reduce("max", ReduceOp.MAX, this, Ops.allAxes(this), false);
    }

    /** Maximum over one axis (ties share the gradient evenly). */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.reduce("max", ReduceOp.MAX, this, new int[] {axis}, keepDims);
    }

    /** Maximum over a set of axes. */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.reduce("max", ReduceOp.MAX, this, axes, keepDims);
    }

    /** Minimum of all elements. */
    public Tensor min() {
        return Reductions.reduce("min", ReduceOp.MIN, this, Ops.allAxes(this), false);
    }

    /** Minimum over one axis. */
    public Tensor min(int axis, boolean keepDims) {
        return Reductions.reduce("min", ReduceOp.MIN, this, new int[] {axis}, keepDims);
    }

    /** Minimum over a set of axes. */
    public Tensor min(int[] axes, boolean keepDims) {
        return Reductions.reduce("min", ReduceOp.MIN, this, axes, keepDims);
    }

    /** Index (int64) of the maximum over the flattened tensor. */
    public Tensor argmax() {
        checkLive("argmax");
        return Reductions.arg("argmax", true, reshape(-1), 0, false);
    }

    /** Indices (int64) of the maxima along an axis; first on ties. */
    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.arg("argmax", true, this, axis, keepDims);
    }

    /** Index (int64) of the minimum over the flattened tensor. */
    public Tensor argmin() {
        checkLive("argmin");
        return Reductions.arg("argmin", false, reshape(-1), 0, false);
    }

    /** Indices (int64) of the minima along an axis; first on ties. */
    public Tensor argmin(int axis, boolean keepDims) {
        return Reductions.arg("argmin", false, this, axis, keepDims);
    }

    /** {@code log Σ e^x} over all elements, computed stably. */
    public Tensor logsumexp() {
        return Reductions.logsumexp(this, Ops.allAxes(this), false);
    }

    /** {@code log Σ e^x} over one axis, computed stably (shifted by the maximum). */
    public Tensor logsumexp(int axis, boolean keepDims) {
        return Reductions.logsumexp(this, new int[] {axis}, keepDims);
    }

    /** {@code log Σ e^x} over a set of axes. */
    public Tensor logsumexp(int[] axes, boolean keepDims) {
        return Reductions.logsumexp(this, axes, keepDims);
    }

    /**
     * Unbiased variance of all elements, {@code Σ (x - mean)² / (N - 1)} (PyTorch's default; NumPy's
     * {@code var} divides by {@code N}: pass correction 0 to {@link #variance(int[], int, boolean)} for that).
     */
    public Tensor variance() {
        return Reductions.variance("variance", this, Ops.allAxes(this), 1, false);
    }

    /** Unbiased variance (divides by {@code N - 1}) over one axis. */
    public Tensor variance(int axis, boolean keepDims) {
        return Reductions.variance("variance", this, new int[] {axis}, 1, keepDims);
    }

    /** Unbiased variance (divides by {@code N - 1}) over a set of axes. */
    public Tensor variance(int[] axes, boolean keepDims) {
        return Reductions.variance("variance", this, axes, 1, keepDims);
    }

    /**
     * Variance {@code Σ (x - mean)² / (N - correction)} over a set of axes; {@code correction} 1 is the
     * unbiased estimate, 0 the population (biased) variance, as layer and batch norm use.
     */
    public Tensor variance(int[] axes, int correction, boolean keepDims) {
        return Reductions.variance("variance", this, axes, correction, keepDims);
    }

    /** Unbiased standard deviation of all elements, the square root of {@link #variance()}. */
    public Tensor std() {
        return Reductions.variance("std", this, Ops.allAxes(this), 1, false).sqrt();
    }

    /** Unbiased standard deviation over one axis, the square root of {@link #variance(int, boolean)}. */
    public Tensor std(int axis, boolean keepDims) {
        return Reductions.variance("std", this, new int[] {axis}, 1, keepDims).sqrt();
    }

    /** Unbiased standard deviation over a set of axes. */
    public Tensor std(int[] axes, boolean keepDims) {
        return Reductions.variance("std", this, axes, 1, keepDims).sqrt();
    }

    /** Standard deviation, the square root of {@link #variance(int[], int, boolean)}. */
    public Tensor std(int[] axes, int correction, boolean keepDims) {
        return Reductions.variance("std", this, axes, correction, keepDims).sqrt();
    }

    /** Inclusive cumulative sum along an axis. */
    public Tensor cumsum(int axis) {
        return Reductions.cumsum(this, axis);
    }

    // =====================================================================================
    // linear algebra
    // =====================================================================================

    /**
     * Matrix product with NumPy semantics: 1-D operands are promoted (and the added axis removed),
     * leading batch axes broadcast: {@code [..., m, k] @ [..., k, n] -> [..., m, n]}.
     */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    /**
     * The affine map of a linear layer, {@code this · weightᵀ + bias} (PyTorch's
     * {@code F.linear}): input {@code [..., in]}, weight {@code [out, in]}, optional bias {@code [out]}
     * (null for none), result {@code [..., out]}. The transpose is not materialised.
     */
    public Tensor linear(Tensor weight, Tensor bias) {
        return LinearAlgebra.linear(this, weight, bias);
    }

    // =====================================================================================
    // shape
    // =====================================================================================

    /** The same values in a new shape with the same number of elements; one dimension may be -1 (inferred). No copy. */
    public Tensor reshape(int... dims) {
        return ShapeOps.reshape(this, dims);
    }

    /** This tensor as 1-D. */
    public Tensor flatten() {
        checkLive("flatten");
        return ShapeOps.reshape(this, -1);
    }

    /** Axes reordered: result axis {@code i} is this tensor's axis {@code axes[i]}. */
    public Tensor permute(int... axes) {
        return ShapeOps.permute(this, axes);
    }

    /** Two axes swapped. */
    public Tensor transpose(int axis0, int axis1) {
        return ShapeOps.transpose(this, axis0, axis1);
    }

    /**
     * The transpose of a matrix; a tensor of rank 0 or 1 is returned as it is (as in PyTorch).
     *
     * @throws dev.nabla.api.types.ShapeException for rank 3 or more (use {@link #mT()} for a batch of matrices)
     */
    public Tensor t() {
        checkLive("t");
        if (rank() > 2) {
            throw new dev.nabla.api.types.ShapeException("t: needs a tensor of rank <= 2, got shape " + shape
                    + "; use mT() to transpose the last two axes, or transpose(axis0, axis1)");
        }
        return rank() < 2 ? this : ShapeOps.transpose(this, 0, 1);
    }

    /**
     * The last two axes swapped: the transpose of each matrix of a batch {@code [..., m, n] -> [..., n, m]}
     * (PyTorch's {@code mT}), e.g. attention scores {@code q.matmul(k.mT())}.
     *
     * @throws dev.nabla.api.types.ShapeException for rank 0 or 1
     */
    public Tensor mT() {
        checkLive("mT");
        if (rank() < 2) {
            throw new dev.nabla.api.types.ShapeException("mT: needs a tensor of rank >= 2, got shape " + shape);
        }
        return ShapeOps.transpose(this, -2, -1);
    }

    /** The values repeated along size-1 (or missing leading) axes to {@code dims}. */
    public Tensor broadcastTo(int... dims) {
        return ShapeOps.broadcastTo(this, Shape.of(dims));
    }

    /** The values repeated along size-1 (or missing leading) axes to {@code target}. */
    public Tensor broadcastTo(Shape target) {
        return ShapeOps.broadcastTo(this, target);
    }

    /** Every size-1 axis removed. No copy. */
    public Tensor squeeze() {
        return ShapeOps.squeeze(this);
    }

    /** One size-1 axis removed. No copy. */
    public Tensor squeeze(int axis) {
        return ShapeOps.squeeze(this, axis);
    }

    /** A size-1 axis inserted at {@code axis} (in {@code [-rank-1, rank]}). No copy. */
    public Tensor unsqueeze(int axis) {
        return ShapeOps.unsqueeze(this, axis);
    }

    /** Elements {@code start, start+1, …} before {@code end} along an axis (Python slice rules). */
    public Tensor slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end, 1);
    }

    /**
     * Elements {@code start, start+step, …} along an axis, with Python's slice rules: negative
     * {@code start}/{@code end} count from the end, out-of-range bounds are clipped, a negative
     * {@code step} walks backwards; {@link Integer#MAX_VALUE}/{@link Integer#MIN_VALUE} mean "to the end".
     */
    public Tensor slice(int axis, int start, int end, int step) {
        return ShapeOps.slice(this, axis, start, end, step);
    }

    /** The sub-tensor at {@code index} along {@code axis}, with that axis removed. */
    public Tensor select(int axis, int index) {
        return ShapeOps.select(this, axis, index);
    }

    /** The order of elements reversed along the given axes. */
    public Tensor flip(int... axes) {
        return ShapeOps.flip(this, axes);
    }

    /**
     * Constant padding: {@code before[d]} and {@code after[d]} elements of {@code value} added on each
     * side of axis {@code d} (arrays of length rank, non-negative).
     */
    public Tensor pad(int[] before, int[] after, double value) {
        return ShapeOps.pad(this, before, after, value);
    }

    /** Tensors joined along an existing axis; all other dimensions must match. */
    public static Tensor concat(List<Tensor> tensors, int axis) {
        return ShapeOps.concat(tensors, axis);
    }

    /** Tensors of one shape joined along a new axis. */
    public static Tensor stack(List<Tensor> tensors, int axis) {
        return ShapeOps.stack(tensors, axis);
    }

    /** Consecutive pieces along an axis with the given sizes (which must add up to the axis size). */
    public List<Tensor> split(int axis, int... sizes) {
        return ShapeOps.split(this, axis, sizes);
    }

    /** {@code chunks} nearly equal consecutive pieces along an axis (the last may be smaller). */
    public List<Tensor> chunk(int chunks, int axis) {
        return ShapeOps.chunk(this, chunks, axis);
    }

    /** The lower triangle of the last two axes (elements with {@code col - row <= k}); the rest zero. */
    public Tensor tril(int k) {
        return ShapeOps.triangle(this, k, true);
    }

    /** The upper triangle of the last two axes (elements with {@code col - row >= k}); the rest zero. */
    public Tensor triu(int k) {
        return ShapeOps.triangle(this, k, false);
    }

    // =====================================================================================
    // indexing
    // =====================================================================================

    /** Entries along {@code axis} picked by an int64 (or int32) index tensor of any shape; that axis is replaced by the index's axes. */
    public Tensor indexSelect(int axis, Tensor index) {
        return Indexing.indexSelect(this, axis, index);
    }

    /** PyTorch's gather: {@code out[i][j][k] = this[i][index[i][j][k]][k]} for {@code axis} 1; {@code index} int64 of the same rank. */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /** A copy of this tensor with {@code src} added at the positions {@code index} names along {@code axis} (the adjoint of {@link #gather}). */
    public Tensor scatterAdd(int axis, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, axis, index, src);
    }

    /** A copy of this tensor with slices of {@code src} added at the entries a 1-D {@code index} names along {@code axis} (the adjoint of {@link #indexSelect}). */
    public Tensor indexAdd(int axis, Tensor index, Tensor src) {
        return Indexing.indexAdd(this, axis, index, src);
    }

    /** One-hot encoding of an integer tensor: a new last axis of {@code numClasses}, float32. */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    // =====================================================================================
    // neural-network operations
    // =====================================================================================

    /** {@code softmax(x)_i = e^{x_i} / Σ_j e^{x_j}} along an axis, computed stably. */
    public Tensor softmax(int axis) {
        return Neural.softmax(this, axis);
    }

    /**
     * Layer normalisation (Ba et al., 2016) over the trailing axes of sizes {@code normalizedShape}, as PyTorch's
     * {@code torch.nn.functional.layer_norm}:
     * <pre>
     *   μ = mean(x),  σ² = mean((x − μ)²)      (biased, over the trailing axes, per leading index)
     *   y = (x − μ) / sqrt(σ² + ε) · γ + β
     * </pre>
     * Runs the backend's fused {@link dev.nabla.api.backend.LayerNormKernel} (forward and backward in one pass
     * per row) when it has one, else the same composed from primitives.
     *
     * @param normalizedShape the sizes of the trailing axes normalised together (at least one, positive)
     * @param weight          γ of {@code normalizedShape}, or null for none
     * @param bias            β of {@code normalizedShape}, or null for none
     * @param eps             added to the variance, finite and {@code >= 0} (PyTorch's default is 1e-5)
     * @return the normalised tensor, of this tensor's shape
     * @throws dev.nabla.api.types.ShapeException naming the shapes if this tensor does not end in
     *                                            {@code normalizedShape} or γ or β is not of it
     */
    public Tensor layerNorm(int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Neural.layerNorm(this, normalizedShape, weight, bias, eps);
    }

    /**
     * Batch normalisation in training mode (Ioffe &amp; Szegedy, 2015), as PyTorch's
     * {@code torch.nn.functional.batch_norm(..., training=True)} without the running statistics: channels on axis 1
     * of {@code [N, C, ...]}, statistics over every other axis.
     * <pre>
     *   μ = mean(x),  σ² = mean((x − μ)²)      (biased, per channel over batch and pixels)
     *   y = (x − μ) / sqrt(σ² + ε) · γ + β
     * </pre>
     * Runs the backend's fused {@link dev.nabla.api.backend.BatchNormKernel} (two passes forward, two backward)
     * when it has one, else the same composed from primitives.
     *
     * @param weight γ of {@code [C]}, or null for none
     * @param bias   β of {@code [C]}, or null for none
     * @param eps    added to the variance, finite and {@code >= 0} (PyTorch's default is 1e-5)
     * @return the normalised tensor with the batch's {@code μ} and {@code σ²}, each {@code [C]}
     * @throws dev.nabla.api.types.ShapeException naming the shapes if this tensor is not {@code [N, C, ...]} with a
     *                                            value per channel, or γ or β is not {@code [C]}
     */
    public BatchNormOutput batchNorm(Tensor weight, Tensor bias, double eps) {
        return Neural.batchNorm(this, weight, bias, eps);
    }

    /** {@code log softmax(x)_i = x_i - logsumexp(x)} along an axis, computed stably. */
    public Tensor logSoftmax(int axis) {
        return Neural.logSoftmax(this, axis);
    }

    /**
     * The pointwise part of an LSTM cell step, PyTorch's gate order i, f, g, o: from the gate
     * pre-activations {@code gates = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh} ({@code [batch, 4·hidden]}) and the
     * cell state {@code c} ({@code [batch, hidden]}),
     * <pre>
     *   i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)
     *   c' = f ⊙ c + i ⊙ g,   h' = o ⊙ tanh(c')
     * </pre>
     * Runs the backend's fused {@link dev.nabla.api.backend.LstmCellKernel} (forward and backward) when it
     * has one, else the same composed from primitives.
     *
     * <pre>{@code
     * // given: Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh
     * Tensor gates = x.matmul(wIh.transpose(0, 1)).add(bIh).add(h.matmul(wHh.transpose(0, 1))).add(bHh);
     * LstmCellOutput next = Tensor.lstmCell(gates, c);   // next.h(), next.c()
     * }</pre>
     *
     * @param gates the gate pre-activations, {@code [batch, 4·hidden]}, blocks i, f, g, o
     * @param c     the cell state before the step, {@code [batch, hidden]}, same dtype (float32 or float64)
     * @return {@code (h', c')}, each {@code [batch, hidden]}
     * @throws dev.nabla.api.types.ShapeException naming both shapes if they do not fit
     */
    public static LstmCellOutput lstmCell(Tensor gates, Tensor c) {
        return Recurrent.lstmCell(gates, c);
    }

    /**
     * The pointwise part of a GRU cell step, PyTorch's gate order r, z, n: from the input projection
     * {@code gi = x·W_ihᵀ + b_ih} and the hidden projection {@code gh = h·W_hhᵀ + b_hh} (both
     * {@code [batch, 3·hidden]}) and the state {@code h} ({@code [batch, hidden]}),
     * <pre>
     *   r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r ⊙ b_n)
     *   h' = (1 − z) ⊙ n + z ⊙ h
     * </pre>
     * Runs the backend's fused {@link dev.nabla.api.backend.GruCellKernel} (forward and backward) when it
     * has one, else the same composed from primitives.
     *
     * @param gi the input projection {@code a}, {@code [batch, 3·hidden]}, blocks r, z, n
     * @param gh the hidden projection {@code b}, {@code [batch, 3·hidden]}, blocks r, z, n
     * @param h  the state before the step, {@code [batch, hidden]}, same dtype (float32 or float64)
     * @return {@code h'}, {@code [batch, hidden]}
     * @throws dev.nabla.api.types.ShapeException naming the shapes if they do not fit
     */
    public static Tensor gruCell(Tensor gi, Tensor gh, Tensor h) {
        return Recurrent.gruCell(gi, gh, h);
    }

    /**
     * Scaled dot-product attention (Vaswani et al., 2017) over any leading (batch, head) axes:
     * <pre>
     *   P = softmax(scale · Q·Kᵀ + M),   O = P·V
     * </pre>
     * {@code M} is the mask: null for none; bool, true where a query may attend to a key (0 there,
     * {@code −∞} elsewhere); or of the inputs' floating dtype, added to the scores (and differentiable).
     * It broadcasts to the scores {@code [..., tq, tk]} (its last two axes 1 or equal). With
     * {@code causal}, query {@code i} also sees only keys {@code j <= i} (PyTorch's {@code is_causal},
     * aligned at the top left when {@code tq != tk}). A query that may attend to no key gets NaN, as in
     * PyTorch. Runs the backend's fused {@link dev.nabla.api.backend.AttentionKernel} (forward and backward,
     * the leading axes flattened to one batch of heads) when it has one, else the same composed from
     * matmul and softmax.
     *
     * <pre>{@code
     * // given: Tensor q, Tensor k, Tensor v
     * // q [batch, heads, tq, d], k [batch, heads, tk, d], v [batch, heads, tk, dv]: a causal self-attention
     * Tensor o = Tensor.scaledDotProductAttention(q, k, v, null, true, 1 / Math.sqrt(q.dim(-1)));
     * }</pre>
     *
     * @param query {@code [..., tq, d]}
     * @param key   {@code [..., tk, d]}, same dtype (float32 or float64)
     * @param value {@code [..., tk, dv]}
     * @param mask  null, or bool (true = may attend) or additive floating, broadcastable to {@code [..., tq, tk]}
     * @param causal whether query {@code i} is kept from keys {@code j > i}
     * @param scale the factor of the scores, usually {@code 1/√d}
     * @return the output {@code [..., tq, dv]} (leading axes broadcast)
     * @throws dev.nabla.api.types.ShapeException naming the shapes if they do not fit together
     * @throws dev.nabla.api.types.DTypeException for a mask neither bool nor of the inputs' dtype
     */
    public static Tensor scaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor mask, boolean causal,
                                                   double scale) {
        return DotProductAttention.apply(query, key, value, mask, causal, scale).output();
    }

    /**
     * {@link #scaledDotProductAttention}, returning the attention weights {@code P} {@code [..., tq, tk]}
     * too (for callers that plot them or use them further: gradients reach the inputs through both).
     *
     * @param query  {@code [..., tq, d]}
     * @param key    {@code [..., tk, d]}
     * @param value  {@code [..., tk, dv]}
     * @param mask   null, or bool (true = may attend) or additive floating, broadcastable to {@code [..., tq, tk]}
     * @param causal whether query {@code i} is kept from keys {@code j > i}
     * @param scale  the factor of the scores, usually {@code 1/√d}
     * @return the output and the weights
     */
    public static AttentionOutput scaledDotProductAttentionWithWeights(Tensor query, Tensor key, Tensor value,
                                                                      Tensor mask, boolean causal, double scale) {
        return DotProductAttention.apply(query, key, value, mask, causal, scale);
    }

    /**
     * Multi-head self-attention on the packed projection of a sequence: {@code qkv [B, T, 3·H·d]} holds the
     * queries, keys and values side by side on its last axis (each {@code H} heads of {@code d}, as
     * {@code x.linear(in_proj_weight, in_proj_bias)} gives them), and the result is
     * {@link #scaledDotProductAttentionWithWeights} over the {@code B·H} heads, its output with the heads side by
     * side again, {@code [B, T, H·d]} (what the output projection reads), and the weights {@code [B, H, T, T]}:
     *
     * <pre>{@code
     * // given: Tensor qkv, int heads
     * // qkv [B, T, 3·H·d] with d = 64: the same as splitting the heads, attending and merging them,
     * //   List<Tensor> s = qkv.reshape(B, T, 3, H, d).permute(2, 0, 3, 1, 4).chunk(3, 0);
     * //   scaledDotProductAttentionWithWeights(s.get(0).squeeze(0), s.get(1).squeeze(0), s.get(2).squeeze(0), …)
     * //       .output().permute(0, 2, 1, 3).reshape(B, T, H·d)
     * AttentionOutput o = Tensor.packedSelfAttention(qkv, heads, null, true, 0.125);
     * }</pre>
     *
     * A backend with a {@link dev.nabla.api.backend.StridedAttentionKernel} reads each head where it lies in
     * {@code qkv} and writes its gradient in place, without the split's and the merge's copies; others compose
     * it as above.
     *
     * @param qkv    {@code [B, T, 3·H·d]}, float32 or float64
     * @param heads  {@code H}, at least 1
     * @param mask   null, or bool (true = may attend) or additive floating, broadcastable to {@code [B, H, T, T]}
     * @param causal whether query {@code i} is kept from keys {@code j > i}
     * @param scale  the factor of the scores, usually {@code 1/√d}
     * @return the output {@code [B, T, H·d]} and the weights {@code [B, H, T, T]}
     * @throws dev.nabla.api.types.ShapeException if {@code qkv} is not {@code [B, T, 3·H·d]} or the mask does not fit
     */
    public static AttentionOutput packedSelfAttention(Tensor qkv, int heads, Tensor mask, boolean causal,
                                                      double scale) {
        return DotProductAttention.packed(qkv, heads, mask, causal, scale);
    }

    /**
     * 1-D convolution (cross-correlation, as in PyTorch): input {@code [N, C, L]}, weight
     * {@code [O, C, K]}, optional bias {@code [O]}:
     * {@code y[n,o,t] = b[o] + Σ_{c,k} w[o,c,k] · x_pad[n, c, t·stride + k·dilation]}.
     */
    public Tensor conv1d(Tensor weight, Tensor bias, int stride, int padding, int dilation) {
        return Neural.conv1d("conv1d", this, weight, bias, stride, padding, padding, dilation);
    }

    /**
     * Causal 1-D convolution: padded on the left by {@code (K-1)·dilation} only, so output {@code t}
     * sees inputs up to {@code t} and the length is unchanged (as in WaveNet and SNAIL).
     */
    public Tensor conv1dCausal(Tensor weight, Tensor bias, int dilation) {
        return Neural.conv1dCausal(this, weight, bias, dilation);
    }

    /**
     * 2-D convolution: input {@code [N, C, H, W]}, weight {@code [O, C, KH, KW]}, optional bias
     * {@code [O]}; {@code stride}, {@code padding} and {@code dilation} are {@code {h, w}}.
     */
    public Tensor conv2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation) {
        return Neural.conv2d(this, weight, bias, stride, padding, dilation);
    }

    /**
     * Transposed 2-D convolution (the gradient of {@link #conv2d} with respect to its input): input
     * {@code [N, Cin, H, W]}, weight {@code [Cin, Cout, KH, KW]}, optional bias {@code [Cout]};
     * output height {@code (H-1)·stride - 2·padding + KH + outputPadding} (likewise the width).
     */
    public Tensor convTranspose2d(Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding) {
        return Neural.convTranspose2d(this, weight, bias, stride, padding, outputPadding);
    }
}
