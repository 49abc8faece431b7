package dev.nabla.api.nn;

import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One step of a recurrent network: from an input and a typed state to the new state,
 * {@code state' = step(x, state)}. The state type {@code S} is the cell's own — a {@link Tensor}
 * {@code h} for a vanilla RNN or a GRU, a pair {@code (h, c)} for an LSTM — and {@link #output(Object)}
 * reads the step's output from it. A sequence is the cell stepped by hand:
 *
 * <pre>{@code
 * // given: RecurrentCell<Tensor> cell, Tensor x, int batch, int steps
 * Tensor h = cell.initialState(batch);
 * for (int t = 0; t < steps; t++) {
 *     h = cell.step(x.select(1, t), h);      // x: [batch, steps, inputSize]
 * }
 * }</pre>
 *
 * <p>Inputs are {@code [batch, inputSize]} and every tensor of a state has {@code batch} as its first
 * axis. {@link #stateTensors} and {@link #stateOf} take a state apart and put it back together, so code
 * that does not know {@code S} — stacking, bidirectional runs, truncated backpropagation through
 * time, variable-length batches — can still {@link #detach}, {@link #keep} and {@link #where mask} it.
 *
 * <p>Parameters are named like a {@link Layer}'s, with PyTorch's names and layouts where PyTorch has the
 * same cell ({@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}). Implementations
 * live in {@code dev.nabla.models} and in plugins; a {@link dev.nabla.api.spi.LayerProvider} offers
 * them by name ({@link dev.nabla.api.spi.LayerProvider#createCell}).
 *
 * @param <S> the state type
 */
public interface RecurrentCell<S> extends AutoCloseable {
    /**
     * One step.
     *
     * @param input {@code [batch, inputSize]}
     * @param state the state before the step, with the same batch size
     * @return the state after the step
     * @throws ShapeException naming the call if the input or a state tensor has the wrong shape or dtype
     */
    S step(Tensor input, S state);

    /**
     * The zero state for a batch of {@code batch} sequences, in the dtype and on the backend of the
     * cell's parameters.
     *
     * @param batch the number of sequences
     * @return the initial state
     */
    S initialState(int batch);

    /**
     * The output of a step whose result is {@code state}: {@code h} (for an LSTM, {@code h} of {@code (h, c)}).
     *
     * @param state a state of this cell
     * @return {@code [batch, hiddenSize]}
     */
    Tensor output(S state);

    /**
     * The tensors a state consists of, in a fixed order ({@code [h]}, or {@code [h, c]}).
     *
     * @param state a state of this cell
     * @return its tensors
     */
    List<Tensor> stateTensors(S state);

    /**
     * The state made of {@code tensors}, in the order of {@link #stateTensors}.
     *
     * @param tensors the tensors of a state
     * @return the state
     */
    S stateOf(List<Tensor> tensors);

    /** Size of the input's last axis. */
    int inputSize();

    /** Size of the output's last axis (and of {@code h}). */
    int hiddenSize();

    /** Every parameter of this cell, by stable dotted name, in a deterministic order. */
    Map<String, Tensor> namedParameters();

    /** The parameters in the order of {@link #namedParameters()}. */
    default List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Switches between training and evaluation behaviour (dropout). No-op by default. */
    default void train(boolean training) {
    }

    /**
     * The state with every tensor {@linkplain Tensor#detach() detached}: the values stay, the graph
     * is cut — truncated backpropagation through time carries the state into the next window this way.
     */
    default S detach(S state) {
        return stateOf(stateTensors(state).stream().map(Tensor::detach).toList());
    }

    /** The state with every tensor {@linkplain Tensor#keep() kept} out of the current scope. */
    default S keep(S state) {
        return stateOf(stateTensors(state).stream().map(Tensor::keep).toList());
    }

    /**
     * Per sequence, {@code next} where {@code mask} is true and {@code previous} where it is false: a
     * finished sequence of a variable-length batch keeps its last state.
     *
     * @param mask     bool {@code [batch]}: which sequences take the step
     * @param next     the state after the step
     * @param previous the state before it
     * @return the merged state
     */
    default S where(Tensor mask, S next, S previous) {
        List<Tensor> a = stateTensors(next);
        List<Tensor> b = stateTensors(previous);
        if (mask.rank() != 1) {
            throw new ShapeException("RecurrentCell.where: mask must be bool [batch], got " + mask.describe());
        }
        List<Tensor> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            int[] dims = new int[a.get(i).rank()];
            java.util.Arrays.fill(dims, 1);
            dims[0] = mask.dim(0);
            out.add(Tensor.where(mask.reshape(dims), a.get(i), b.get(i)));
        }
        return stateOf(out);
    }

    /** Releases the parameters. */
    @Override
    default void close() {
        for (Tensor p : namedParameters().values()) {
            p.close();
        }
    }
}
