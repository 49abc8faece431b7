package dev.nabla.api.spi;

import dev.nabla.api.nn.Attention;
import dev.nabla.api.nn.Layer;
import dev.nabla.api.nn.RecurrentCell;
import java.util.Set;

/**
 * Service interface for named layer factories ({@code "linear"}, {@code "mlp"}, …), found with
 * {@link java.util.ServiceLoader}, so models can be built from configuration maps and the CLI, and
 * plugins can add layers. A provider may also offer recurrent cells ({@link #cellNames()},
 * {@link #createCell}) and attention mechanisms ({@link #attentionNames()}, {@link #createAttention});
 * by default it offers none.
 */
public interface LayerProvider {
    /** The layer names this provider builds. */
    Set<String> names();

    /**
     * Builds the named layer.
     *
     * @throws IllegalArgumentException for an unknown name or bad configuration, naming what is wrong
     */
    Layer create(String name, BuildContext context);

    /**
     * The recurrent cells this provider builds ({@code "rnn_cell"}, {@code "lstm"}, …); none by default.
     *
     * @return the cell names
     */
    default Set<String> cellNames() {
        return Set.of();
    }

    /**
     * Builds the named recurrent cell.
     *
     * @param name    one of {@link #cellNames()}
     * @param context where to allocate, the generator, the settings
     * @return the cell; its state type is the cell's own
     * @throws IllegalArgumentException for an unknown name or bad configuration, naming what is wrong
     */
    default RecurrentCell<?> createCell(String name, BuildContext context) {
        throw new IllegalArgumentException("unknown recurrent cell '" + name + "'; this provider builds "
                + (cellNames().isEmpty() ? "none" : cellNames()));
    }

    /**
     * The attention mechanisms this provider builds ({@code "scaled_dot_product_attention"},
     * {@code "multihead_attention"}, …); none by default.
     *
     * @return the attention names
     */
    default Set<String> attentionNames() {
        return Set.of();
    }

    /**
     * Builds the named attention mechanism.
     *
     * @param name    one of {@link #attentionNames()}
     * @param context where to allocate, the generator, the settings
     * @return the attention
     * @throws IllegalArgumentException for an unknown name or bad configuration, naming what is wrong
     */
    default Attention createAttention(String name, BuildContext context) {
        throw new IllegalArgumentException("unknown attention '" + name + "'; this provider builds "
                + (attentionNames().isEmpty() ? "none" : attentionNames()));
    }
}
