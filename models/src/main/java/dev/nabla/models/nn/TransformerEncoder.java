package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final LayerNorm, as PyTorch's
 * {@code nn.TransformerEncoder}: {@code x ← layer_N(… layer_1(x)); x ← norm(x)}. Parameters
 * {@code layers.0.*}, {@code layers.1.*}, … and {@code norm.weight}, {@code norm.bias} (a pre-LN stack
 * needs the final norm; a post-LN stack usually has none). Unlike PyTorch, which deep-copies one layer,
 * each layer is initialised on its own.
 */
public final class TransformerEncoder extends Block implements Layer {
    private final List<TransformerEncoderLayer> layers = new ArrayList<>();
    private final LayerNorm norm;
    private final TransformerOptions options;

    /**
     * {@code numLayers} layers with {@code options}, and a final LayerNorm if {@code finalNorm}.
     *
     * @throws IllegalArgumentException if {@code numLayers < 1}
     */
    public TransformerEncoder(TensorFactory f, Generator random, TransformerOptions options, int numLayers,
                              boolean finalNorm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: num_layers must be >= 1, got " + numLayers);
        }
        this.options = Objects.requireNonNull(options, "options");
        ModuleList list = child("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(list.append(new TransformerEncoderLayer(f, random, options)));
        }
        this.norm = finalNorm ? child("norm", new LayerNorm(f, new int[] {options.dModel()}, options.layerNormEps(),
                true, options.dtype())) : null;
    }

    /** The layers, in order. */
    public List<TransformerEncoderLayer> layers() {
        return List.copyOf(layers);
    }

    /** The options of every layer. */
    public TransformerOptions options() {
        return options;
    }

    /** Empty caches for {@link #step}, one per layer. */
    public List<KeyValueCache> newCache() {
        return KeyValueCache.perLayer(layers.size());
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /**
     * The stack; every layer gets the same masks (see {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor)}).
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask) {
        return forward(src, mask, srcKeyPaddingMask, false);
    }

    /**
     * The stack, causal when {@code isCausal} (see {@link TransformerEncoderLayer#forward(Tensor, Tensor, Tensor,
     * boolean)}): a decoder-only language model's pass over a whole sequence.
     */
    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        for (TransformerEncoderLayer layer : layers) {
            x = layer.forward(x, mask, srcKeyPaddingMask, isCausal);
        }
        return norm == null ? x : norm.forward(x);
    }

    /**
     * New positions of a causal stack (a decoder-only language model's step), with one cache per layer
     * ({@link #newCache()}): the rows of {@code forward(whole, causalMask(T), null)} for these positions.
     */
    public Tensor step(Tensor src, List<KeyValueCache> caches) {
        if (caches.size() != layers.size()) {
            throw new ShapeException("TransformerEncoder.step: " + caches.size() + " caches for " + layers.size()
                    + " layers");
        }
        Tensor x = src;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).step(x, caches.get(i));
        }
        return norm == null ? x : norm.forward(x);
    }

    @Override
    public String toString() {
        return "TransformerEncoder(" + layers.size() + " × " + options + (norm == null ? ")" : ", norm)");
    }
}
