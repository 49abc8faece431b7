package dev.nabla.models.recurrent.lm;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Dropout;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.RNNCell;

import java.util.ArrayList;
import java.util.List;

/**
 * A character-level language model: an embedding, a stack of recurrent cells (vanilla RNN, LSTM or
 * GRU, with dropout between layers) and a linear head over the vocabulary,
 * <pre>
 *   e_t = E[x_t],   h⁽¹⁾_t = cell₁(e_t, h⁽¹⁾_{t−1}),   h⁽ˡ⁾_t = cellₗ(drop(h⁽ˡ⁻¹⁾_t), h⁽ˡ⁾_{t−1}),
 *   logits_t = W h⁽ᴸ⁾_t + b,   p(x_{t+1} | x_{≤t}) = softmax(logits_t)
 * </pre>
 * trained by cross-entropy against the next character (the cells' equations are on
 * {@link dev.nabla.models.nn.RNNCell}, {@link dev.nabla.models.nn.LSTMCell} and {@link dev.nabla.models.nn.GRUCell}).
 * The state of the stack is a {@link State}: layer by layer, {@code h} (RNN, GRU) or {@code h, c}
 * (LSTM), each {@code [batch, hidden]}. A forward pass over a window starts from a given state and returns
 * the state after its last step, which truncated backpropagation through time carries into the next window.
 * Parameters: {@code embedding.weight}; per layer {@code L} the cell's, PyTorch's {@code nn.LSTMCell}
 * names, {@code cell_lL.weight_ih}, {@code cell_lL.weight_hh}, {@code cell_lL.bias_ih}, {@code cell_lL.bias_hh};
 * {@code head.weight}, {@code head.bias}.
 *
 * <p>The cells are stepped by hand and each step looks its characters up in the embedding itself: a step
 * never slices a tensor that needs a gradient, so the backward pass does not scatter each step's
 * gradient into a zero tensor of the whole window's size (which slicing a {@code [steps, …]} tensor per
 * step would cost, quadratic in the window length).
 */
public final class CharLanguageModel extends Block {
    /** The recurrent cell of the stack. */
    public enum Cell {
        /** Vanilla RNN with tanh. */
        RNN_TANH,
        /** Vanilla RNN with relu. */
        RNN_RELU,
        /** LSTM. */
        LSTM,
        /** GRU. */
        GRU
    }

    private final Embedding embedding;
    private final List<RecurrentCell<?>> cells = new ArrayList<>();
    private final Dropout dropout;
    private final Linear head;
    private final Cell cell;
    private final int vocabulary;
    private final int hidden;

    /**
     * The state of the stack: layer by layer, {@code h} or {@code h, c}, each {@code [batch, hidden]}.
     *
     * @param tensors the state's tensors
     */
    public record State(List<Tensor> tensors) {
        /** Copies the list. */
        public State {
            tensors = List.copyOf(tensors);
        }
    }

    /**
     * What a forward pass gives.
     *
     * @param logits {@code [batch · steps, vocabulary]}, row {@code b · steps + t} for sequence {@code b}, step {@code t}
     * @param state  the state after the last step
     */
    public record Output(Tensor logits, State state) {
    }

    /**
     * A model with freshly drawn parameters (PyTorch's initialisations: the embedding from {@code N(0, 1)},
     * the recurrent layers and the head uniform in {@code ±1/sqrt(fan)}).
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them (and the dropout masks) from
     * @param vocabulary the number of token ids
     * @param embedding  the size of a character's embedding
     * @param hidden     the size of each layer's {@code h}
     * @param cell       the recurrent cell
     * @param layers     the number of stacked layers
     * @param dropout    the dropout probability between layers (0: none)
     */
    public CharLanguageModel(TensorFactory f, Generator random, int vocabulary, int embedding, int hidden, Cell cell,
                             int layers, double dropout) {
        this.vocabulary = vocabulary;
        this.hidden = hidden;
        this.cell = cell;
        this.embedding = child("embedding", new Embedding(f, random, vocabulary, embedding));
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embedding : hidden;
            RecurrentCell<?> c = switch (cell) {
                case RNN_TANH -> new RNNCell(f, random, in, hidden, RNNCell.Nonlinearity.TANH, true, DType.FLOAT32);
                case RNN_RELU -> new RNNCell(f, random, in, hidden, RNNCell.Nonlinearity.RELU, true, DType.FLOAT32);
                case LSTM -> new LSTMCell(f, random, in, hidden, true, DType.FLOAT32);
                case GRU -> new GRUCell(f, random, in, hidden, true, DType.FLOAT32);
            };
            child("cell_l" + l, (Block) c);
            cells.add(c);
        }
        this.dropout = child("dropout", new Dropout(dropout, random.split()));
        this.head = child("head", new Linear(f, random, hidden, vocabulary));
    }

    /** The number of token ids. */
    public int vocabulary() {
        return vocabulary;
    }

    /** The size of {@code h}. */
    public int hidden() {
        return hidden;
    }

    /** The recurrent cell. */
    public Cell cell() {
        return cell;
    }

    /** The zero state for {@code batch} sequences. */
    public State initialState(int batch) {
        List<Tensor> t = new ArrayList<>();
        for (RecurrentCell<?> c : cells) {
            t.addAll(zero(c, batch));
        }
        return new State(t);
    }

    private static <S> List<Tensor> zero(RecurrentCell<S> c, int batch) {
        return c.stateTensors(c.initialState(batch));
    }

    /**
     * The logits of every step of {@code input} from {@code state}.
     *
     * @param input int64 {@code [batch, steps]} token ids
     * @param state the state before the first step ({@link #initialState} for a fresh start)
     * @return the logits and the state after the last step
     * @throws ShapeException if the input is not {@code [batch, steps]} or the state does not fit
     */
    public Output forward(Tensor input, State state) {
        if (input.rank() != 2) {
            throw new ShapeException("CharLanguageModel: input must be [batch, steps] token ids, got " + input.describe());
        }
        int per = cell == Cell.LSTM ? 2 : 1;
        if (state.tensors().size() != per * cells.size()) {
            throw new ShapeException("CharLanguageModel: the state of " + cells.size() + " " + cell + " layers has "
                    + per * cells.size() + " tensors, got " + state.tensors().size());
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        List<Tensor> now = new ArrayList<>(state.tensors());
        List<Tensor> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor x = embedding.forward(input.select(1, t));   // ids carry no gradient: slicing them is free
            for (int l = 0; l < cells.size(); l++) {
                if (l > 0) {
                    x = dropout.forward(x);
                }
                List<Tensor> next = step(cells.get(l), x, now.subList(l * per, (l + 1) * per));
                for (int k = 0; k < per; k++) {
                    now.set(l * per + k, next.get(k));
                }
                x = next.getFirst();
            }
            outputs.add(x);
        }
        Tensor h = Tensor.stack(outputs, 1).reshape(batch * steps, hidden);
        return new Output(head.forward(h), new State(now));
    }

    /** One step of {@code cell}; its output {@code h} first among the returned state tensors. */
    private static <S> List<Tensor> step(RecurrentCell<S> cell, Tensor x, List<Tensor> state) {
        S next = cell.step(x, cell.stateOf(List.copyOf(state)));
        List<Tensor> out = cell.stateTensors(next);
        if (out.getFirst() != cell.output(next)) {
            throw new IllegalStateException("CharLanguageModel: cell " + cell.getClass().getSimpleName()
                    + " must list its output h first among its state tensors");
        }
        return out;
    }
}
