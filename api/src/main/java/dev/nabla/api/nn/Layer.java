package dev.nabla.api.nn;

import dev.nabla.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A differentiable function with parameters: the unit models are built from. A layer owns its
 * parameters (tensors made with {@link Tensor#toParameter()}) and its sub-layers, and names them
 * stably and hierarchically ({@code flows.3.net.0.weight}) so checkpoints can be read back.
 *
 * <p>Implementations live in {@code dev.nabla.models} and in plugins; a
 * {@link dev.nabla.api.spi.LayerProvider} makes them constructible by name from configuration.
 */
public interface Layer extends AutoCloseable {
    /** Applies the layer. */
    Tensor forward(Tensor input);

    /** Every parameter of this layer and its sub-layers, by stable dotted name, in a deterministic order. */
    Map<String, Tensor> namedParameters();

    /** The parameters in the order of {@link #namedParameters()}. */
    default List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Switches between training and evaluation behaviour (dropout, batch statistics). No-op by default. */
    default void train(boolean training) {
    }

    /** Releases the parameters. */
    @Override
    default void close() {
        for (Tensor p : namedParameters().values()) {
            p.close();
        }
    }
}
