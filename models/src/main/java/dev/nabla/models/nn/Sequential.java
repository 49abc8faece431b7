package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Layers applied one after the other: {@code y = f_n(… f_1(f_0(x)))}. Children are named by position
 * ({@code 0.weight}, {@code 2.bias}), as in PyTorch, so checkpoints line up with {@code nn.Sequential}.
 */
public class Sequential extends Block implements Layer {
    private final List<Layer> layers = new ArrayList<>();

    /** The given layers, in order. */
    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    /** The given layers, in order. */
    public Sequential(List<? extends Layer> layers) {
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a layer; returns this. */
    public final Sequential add(Layer layer) {
        childLayer(Integer.toString(layers.size()), layer);
        layers.add(layer);
        return this;
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Layer l : layers) {
            h = l.forward(h);
        }
        return h;
    }

    @Override
    public String toString() {
        return "Sequential" + layers;
    }
}
