package dev.nabla.models.optim;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One parameter as an optimizer sees it: its storage viewed as a flat vector of {@code n} elements,
 * with state tensors, scratch storages and size-1 scalar storages all allocated once, here. Every
 * update is then a short sequence of {@link Kernels#binary}/{@link Kernels#unary}/{@link Kernels#fill}
 * calls on storages that already exist, so a step allocates nothing on the backend. The update
 * building blocks ({@link #decayed}, {@link #plusScaled}, {@link #ema}, {@link #accumulate}, {@link #descend}) are those
 * sequences, shared by the optimizers so each reads as its update equations.
 */
final class Slot implements AutoCloseable {
    private static final Shape ONE = Shape.of(1);

    final String name;
    final Tensor param;
    final Kernels k;
    final DType dtype;
    final Shape flat;
    private final List<Storage> owned = new ArrayList<>();
    private final Map<String, Tensor> states = new LinkedHashMap<>();

    Slot(String name, Tensor param) {
        this.name = name;
        this.param = param;
        this.k = param.backend().kernels();
        this.dtype = param.dtype();
        this.flat = Shape.of(Math.toIntExact(param.numel()));
    }

    /** A zero-filled state tensor shaped like the parameter, which checkpoints can read and restore. */
    private Tensor stateTensor() {
        try (Scope ignored = Scope.open()) {
            return param.factory().zeros(param.shape(), dtype).toParameter().requiresGrad(false);
        }
    }

    /**
     * A zero-filled state tensor listed by {@link InPlaceOptimizer#state()} as {@code name.key}; the optimizer
     * closes it (see {@link Optimizer#close()}).
     */
    Tensor state(String key) {
        Tensor t = stateTensor();
        states.put(key, t);
        return t;
    }

    /** The state tensors by key, in the order they were made. */
    Map<String, Tensor> states() {
        return states;
    }

    /** A zero-filled scratch storage of the parameter's size, freed by {@link #close()}. */
    Storage scratch() {
        Storage s = k.allocate(dtype, flat.size());
        owned.add(s);
        return s;
    }

    /** A one-element storage for a scalar operand, set with {@link #set}. */
    Storage scalar() {
        Storage s = k.allocate(dtype, 1);
        owned.add(s);
        return s;
    }

    /** A one-element storage holding {@code value}, for a hyper-parameter fixed at construction. */
    Storage constant(double value) {
        Storage s = scalar();
        set(s, value);
        return s;
    }

    void set(Storage scalar, double value) {
        k.fill(scalar, value);
    }

    /** {@code out = a op b} elementwise over the flat vectors. */
    void op(BinaryOp op, Storage a, Storage b, Storage out) {
        k.binary(op, a, flat, b, flat, out, flat);
    }

    /** {@code out = a op s} with a scalar storage {@code s}. */
    void opScalar(BinaryOp op, Storage a, Storage s, Storage out) {
        k.binary(op, a, flat, s, ONE, out, flat);
    }

    void unary(UnaryOp op, Storage x, Storage out) {
        k.unary(op, x, out);
    }

    /** {@code out = g + λ·θ} (coupled L2 weight decay, {@code λ} in {@code decay}); returns {@code out}. */
    Storage decayed(Storage g, Storage decay, Storage out) {
        return plusScaled(g, data(), decay, out);
    }

    /** {@code out = x + c·y} with a scalar {@code c}; {@code out} may be {@code y}'s scratch. Returns {@code out}. */
    Storage plusScaled(Storage x, Storage y, Storage c, Storage out) {
        opScalar(BinaryOp.MUL, y, c, out);
        op(BinaryOp.ADD, x, out, out);
        return out;
    }

    /**
     * The moving average {@code x ← β·x + (1-β)·y}, with {@code beta} and {@code oneMinusBeta} scalars;
     * {@code tmp} (which may be {@code y}) is overwritten.
     */
    void ema(Storage x, Storage beta, Storage oneMinusBeta, Storage y, Storage tmp) {
        opScalar(BinaryOp.MUL, y, oneMinusBeta, tmp);
        opScalar(BinaryOp.MUL, x, beta, x);
        op(BinaryOp.ADD, x, tmp, x);
    }

    /** The momentum buffer update {@code b ← μ·b + x}. */
    void accumulate(Storage b, Storage mu, Storage x) {
        opScalar(BinaryOp.MUL, b, mu, b);
        op(BinaryOp.ADD, b, x, b);
    }

    /** The step {@code θ ← θ - lr·d}, with {@code lr} written into the scalar {@code lrScalar}; {@code tmp} is overwritten. */
    void descend(Storage d, Storage lrScalar, double lr, Storage tmp) {
        set(lrScalar, lr);
        opScalar(BinaryOp.MUL, d, lrScalar, tmp);
        op(BinaryOp.SUB, data(), tmp, data());
    }

    /** The parameter's gradient storage, or null when it has no gradient. */
    Storage grad() {
        Tensor g = param.grad();
        return g == null ? null : g.storage();
    }

    Storage data() {
        return param.storage();
    }

    @Override
    public void close() {
        owned.forEach(Storage::release);
        owned.clear();
    }
}
