package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.ShapeException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The base of everything in the model library that owns state: a tree of named parameters, buffers
 * and child blocks, like PyTorch's {@code nn.Module} or DJL's {@code Block}.
 *
 * <ul>
 *   <li><b>Parameters</b> are trainable tensors ({@link Tensor#toParameter()}): they require grad and
 *       are updated in place by optimizers.</li>
 *   <li><b>Buffers</b> are non-trainable state that belongs in a checkpoint (BatchNorm's running
 *       statistics, ActNorm's "initialised" flag): mutable, but never differentiated.</li>
 *   <li><b>Children</b> are sub-blocks; their entries appear under {@code childName.} so names are
 *       stable and hierarchical: {@code flows.3.net.0.weight}.</li>
 * </ul>
 *
 * <p>Order is registration order, so {@link #namedParameters()} is deterministic — the optimizer's
 * state and the checkpoint rely on it. A concrete layer extends this class and implements
 * {@link Layer}; a concrete flow extends it and implements {@link dev.nabla.api.flow.Flow}.
 *
 * <p><b>Threads.</b> What is safe, exactly (the tck's {@code ConcurrencyChecks} and
 * {@code dev.nabla.models.serve.PredictorTest} check it):
 * <ul>
 *   <li><b>Concurrent inference on a block no one changes: safe.</b> Any number of threads may call the
 *       forward methods ({@code forward}, {@code logProb}, {@code sample}, …) of one block at once, each
 *       in scopes of its own, once it is in evaluation mode ({@link #eval()}) and while no thread trains it,
 *       loads state into it, switches its mode or closes it. In evaluation mode a forward pass only reads
 *       parameters and buffers (ActNorm's initialisation and BatchNorm's running statistics are written in
 *       training mode only), so each thread gets exactly the bits it would get alone. Recording for
 *       gradients is allowed too, but {@code backward} writes the parameters' {@code grad}: do inference
 *       under {@link dev.nabla.api.tensor.Autograd#noGrad()}. {@code dev.nabla.models.serve.Predictor}
 *       packages all of this.</li>
 *   <li><b>Inference beside training: not supported.</b> The optimizer updates parameters in place, so
 *       another thread reading them meanwhile gets a mix of steps (never a crash or an exception, but no
 *       step's values either), and a validation pass switching {@link #train(boolean)} mode makes other
 *       threads' forward passes update BatchNorm's statistics. Serve a copy: save a checkpoint and load it
 *       into a second model.</li>
 *   <li><b>Closing under load:</b> a forward pass that reads a parameter closed by another thread throws
 *       {@link dev.nabla.api.types.ReleasedTensorException}; it never returns a value. A predictor's
 *       {@code close()} waits for calls in flight instead.</li>
 *   <li>Everything else — training, {@code loadState}, {@code train}/{@code eval}, registering — is for one
 *       thread at a time.</li>
 * </ul>
 */
public abstract class Block implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Block> children = new LinkedHashMap<>();
    private boolean training = true;
    private boolean closed;

    /**
     * Registers a trainable parameter holding a copy of {@code initial} and returns it. The copy belongs
     * to this block (closed by {@link #close()}); {@code initial} stays the caller's.
     *
     * @throws IllegalArgumentException if the name is not a plain identifier or already used
     */
    protected final Tensor parameter(String name, Tensor initial) {
        checkNewName(name);
        Tensor p = initial.toParameter();
        parameters.put(name, p);
        return p;
    }

    /** Registers a non-trainable, in-place-updatable buffer holding a copy of {@code initial} and returns it. */
    protected final Tensor buffer(String name, Tensor initial) {
        checkNewName(name);
        Tensor b = initial.toParameter().requiresGrad(false);
        buffers.put(name, b);
        return b;
    }

    /** Registers a child block under {@code name} and returns it. */
    protected final <B extends Block> B child(String name, B block) {
        checkNewName(name);
        children.put(name, block);
        return block;
    }

    /**
     * Registers a layer that may not be a {@link Block} (a plugin's own implementation) as a child:
     * its parameters appear under {@code name.} like a block's.
     */
    protected final <L extends Layer> L childLayer(String name, L layer) {
        child(name, layer instanceof Block b ? b : new ForeignLayer(layer));
        return layer;
    }

    private void checkNewName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name
                    + "' must be letters, digits or '_' (dots separate levels)");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already used");
        }
    }

    /** Every trainable parameter of this block and its children, by dotted name, in registration order. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>(parameters);
        children.forEach((n, c) -> c.namedParameters().forEach((k, v) -> out.put(n + "." + k, v)));
        return Collections.unmodifiableMap(out);
    }

    /** Every buffer of this block and its children, by dotted name, in registration order. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>(buffers);
        children.forEach((n, c) -> c.namedBuffers().forEach((k, v) -> out.put(n + "." + k, v)));
        return Collections.unmodifiableMap(out);
    }

    /** Parameters then buffers: everything a checkpoint must hold to restore this block exactly. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>(namedParameters());
        out.putAll(namedBuffers());
        return Collections.unmodifiableMap(out);
    }

    /** The direct children by name, in registration order. */
    public Map<String, Block> children() {
        return Collections.unmodifiableMap(children);
    }

    /**
     * Copies values into this block's parameters and buffers (see {@link #state()}), in place. Strict:
     * every entry of {@link #state()} must be present with the same shape and dtype, and there may be
     * no extra entries; nothing is written unless everything matches.
     *
     * @throws ShapeException naming the first missing, unexpected or mismatched entry
     */
    public void loadState(Map<String, Tensor> values) {
        Map<String, Tensor> own = state();
        for (var e : own.entrySet()) {
            Tensor v = values.get(e.getKey());
            if (v == null) {
                throw new ShapeException("loadState: missing '" + e.getKey() + "'; given: " + Names.listed(values.keySet()));
            }
            Tensor p = e.getValue();
            if (!v.shape().equals(p.shape()) || v.dtype() != p.dtype()) {
                throw new ShapeException("loadState: '" + e.getKey() + "' is " + v.describe() + ", expected "
                        + p.describe());
            }
        }
        for (String k : values.keySet()) {
            if (!own.containsKey(k)) {
                throw new ShapeException("loadState: unexpected entry '" + Names.abbreviated(k) + "'; expected: "
                        + Names.listed(own.keySet()));
            }
        }
        for (var e : own.entrySet()) {
            Tensor target = e.getValue();
            Tensor src = values.get(e.getKey());
            if (src.backend() == target.backend()) {
                target.assign(src);
            } else {
                try (Scope ignored = Scope.open()) {
                    target.assign(target.factory().of(src.toDoubleArray(), src.shape().dims()).to(target.dtype()));
                }
            }
        }
    }

    /** Switches this block and its children between training and evaluation behaviour. */
    public void train(boolean training) {
        this.training = training;
        children.values().forEach(c -> c.train(training));
    }

    /** Shorthand for {@code train(false)}; returns this. */
    public Block eval() {
        train(false);
        return this;
    }

    /** True in training mode (the default). */
    public boolean isTraining() {
        return training;
    }

    /** Releases every parameter and buffer of this block and its children. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        parameters.values().forEach(Tensor::close);
        buffers.values().forEach(Tensor::close);
        children.values().forEach(Block::close);
    }

    /** Gives a plain {@link Layer} a place in a block tree. */
    private static final class ForeignLayer extends Block {
        private final Layer layer;

        ForeignLayer(Layer layer) {
            this.layer = layer;
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return layer.namedParameters();
        }

        @Override
        public void train(boolean training) {
            super.train(training);
            layer.train(training);
        }

        @Override
        public void close() {
            layer.close();
        }
    }
}
