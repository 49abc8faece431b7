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
import java.util.List;

/**
 * One parameter as an optimizer sees it: its storage viewed as a flat vector of {@code n} elements,
 * with state tensors, scratch storages and size-1 scalar storages all allocated once, here. Every
 * update is then a short sequence of {@link Kernels#binary}/{@link Kernels#unary}/{@link Kernels#fill}
 * calls on storages that already exist, so a step allocates nothing on the backend.
 */
final class Slot implements AutoCloseable {
    private static final Shape ONE = Shape.of(1);

    final String name;
    final Tensor param;
    final Kernels k;
    final DType dtype;
    final Shape flat;
    private final List<Storage> owned = new ArrayList<>();

    Slot(String name, Tensor param) {
        this.name = name;
        this.param = param;
        this.k = param.backend().kernels();
        this.dtype = param.dtype();
        this.flat = Shape.of(Math.toIntExact(param.numel()));
    }

    /** A zero-filled state tensor shaped like the parameter, which checkpoints can read and restore. */
    Tensor stateTensor() {
        try (Scope ignored = Scope.open()) {
            return param.factory().zeros(param.shape(), dtype).toParameter().requiresGrad(false);
        }
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
