package dev.nabla.api;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;

/**
 * The entry point: the selected backend, tensor creation on it, scopes and the no-grad mode.
 *
 * <pre>{@code
 * Tensor w = Nabla.tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad(true);
 * try (Scope s = Nabla.scope()) {
 *     Tensor loss = w.matmul(w).tanh().sum();
 *     loss.backward();                 // w.grad() now holds d loss / d w
 * }
 * }</pre>
 *
 * <p>The backend is chosen once, on first use, by {@link Backends#selected()}: {@code -Dnabla.backend},
 * else {@code NABLA_BACKEND}, else the highest-priority available provider.
 */
public final class Nabla {
    private Nabla() {
    }

    /** The selected backend. */
    public static Backend backend() {
        return Backends.selected();
    }

    /** The backend with the given name (see {@link Backends#get}). */
    public static Backend backend(String name) {
        return Backends.get(name);
    }

    /** The tensor factory of the selected backend. */
    public static TensorFactory tensors() {
        return TensorFactory.on(backend());
    }

    /** Opens a memory scope (see {@link Scope}). */
    public static Scope scope() {
        return Scope.open();
    }

    /** Turns off gradient recording on this thread until closed. */
    public static GradMode noGrad() {
        return Autograd.noGrad();
    }

    /** A tensor from a (nested) Java array on the selected backend, e.g. {@code new float[][] {{1, 2}}}. */
    public static Tensor tensor(Object array) {
        return tensors().tensor(array);
    }

    /** Float32 zeros on the selected backend. */
    public static Tensor zeros(int... dims) {
        return tensors().zeros(dims);
    }

    /** Float32 ones on the selected backend. */
    public static Tensor ones(int... dims) {
        return tensors().ones(dims);
    }
}
