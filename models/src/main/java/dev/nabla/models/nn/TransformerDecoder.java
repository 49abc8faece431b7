package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final LayerNorm, as PyTorch's
 * {@code nn.TransformerDecoder}: every layer reads the same memory and masks. Parameters
 * {@code layers.0.*}, {@code layers.1.*}, … and {@code norm.weight}, {@code norm.bias}. Unlike PyTorch,
 * which deep-copies one layer, each layer is initialised on its own. Step-wise decoding with
 * {@link #newCache()} and {@link #step}.
 */
public final class TransformerDecoder extends Block {
    private final List<TransformerDecoderLayer> layers = new ArrayList<>();
    private final LayerNorm norm;
    private final TransformerOptions options;

    /**
     * {@code numLayers} layers with {@code options}, and a final LayerNorm if {@code finalNorm}.
     *
     * @throws IllegalArgumentException if {@code numLayers < 1}
     */
    public TransformerDecoder(TensorFactory f, Generator random, TransformerOptions options, int numLayers,
                              boolean finalNorm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: num_layers must be >= 1, got " + numLayers);
        }
        this.options = Objects.requireNonNull(options, "options");
        ModuleList list = child("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) {
            layers.add(list.append(new TransformerDecoderLayer(f, random, options)));
        }
        this.norm = finalNorm ? child("norm", new LayerNorm(f, new int[] {options.dModel()}, options.layerNormEps(),
                true, options.dtype())) : null;
    }

    /** The layers, in order. */
    public List<TransformerDecoderLayer> layers() {
        return List.copyOf(layers);
    }

    /** The options of every layer. */
    public TransformerOptions options() {
        return options;
    }

    /** Empty caches for {@link #step}, one per layer. */
    public List<TransformerDecoderLayer.Cache> newCache() {
        List<TransformerDecoderLayer.Cache> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(TransformerDecoderLayer.Cache.empty());
        }
        return List.copyOf(out);
    }

    /**
     * The stack (see {@link TransformerDecoderLayer#forward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor)}).
     */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask) {
        Tensor x = tgt;
        for (TransformerDecoderLayer layer : layers) {
            x = layer.forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    /**
     * New target positions with one cache per layer ({@link #newCache()}): the rows of
     * {@code forward(whole, memory, causalMask(T), null, null, memoryKeyPaddingMask)} for these positions.
     */
    public Tensor step(Tensor tgt, Tensor memory, List<TransformerDecoderLayer.Cache> caches,
                       Tensor memoryKeyPaddingMask) {
        if (caches.size() != layers.size()) {
            throw new ShapeException("TransformerDecoder.step: " + caches.size() + " caches for " + layers.size()
                    + " layers");
        }
        Tensor x = tgt;
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).step(x, memory, caches.get(i), memoryKeyPaddingMask);
        }
        return norm == null ? x : norm.forward(x);
    }

    @Override
    public String toString() {
        return "TransformerDecoder(" + layers.size() + " × " + options + (norm == null ? ")" : ", norm)");
    }
}
