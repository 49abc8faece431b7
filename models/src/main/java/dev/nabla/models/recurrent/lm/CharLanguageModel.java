package dev.nabla.models.recurrent.lm;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.GRU;
import dev.nabla.models.nn.LSTM;
import dev.nabla.models.nn.LSTMState;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.RNN;
import dev.nabla.models.nn.RNNCell;
import dev.nabla.models.nn.RecurrentLayer;
import dev.nabla.models.nn.RecurrentOptions;
import dev.nabla.models.nn.RecurrentOutput;

import java.util.List;

/**
 * A character-level language model: an embedding, a stack of recurrent layers (vanilla RNN, LSTM or
 * GRU, {@link RecurrentLayer}, with dropout between layers) and a linear head over the vocabulary,
 * <pre>
 *   e_t = E[x_t],   h⁽¹⁾_t = cell₁(e_t, h⁽¹⁾_{t−1}),   h⁽ˡ⁾_t = cellₗ(drop(h⁽ˡ⁻¹⁾_t), h⁽ˡ⁾_{t−1}),
 *   logits_t = W h⁽ᴸ⁾_t + b,   p(x_{t+1} | x_{≤t}) = softmax(logits_t)
 * </pre>
 * trained by cross-entropy against the next character (the cells' equations are on
 * {@link dev.nabla.models.nn.RNNCell}, {@link dev.nabla.models.nn.LSTMCell} and {@link dev.nabla.models.nn.GRUCell}).
 * The state of the stack is a {@link State}: {@code [h]} (RNN, GRU) or {@code [h, c]} (LSTM), each
 * {@code [layers, batch, hidden]}. A forward pass over a window starts from a given state and returns the
 * state after its last step, which truncated backpropagation through time carries into the next window.
 * Parameters, named as PyTorch's {@code nn.Embedding}, {@code nn.LSTM} and {@code nn.Linear} in a module
 * with children {@code embedding}, {@code rnn} and {@code head}: {@code embedding.weight},
 * {@code rnn.weight_ih_l0}, {@code rnn.weight_hh_l0}, {@code rnn.bias_ih_l0}, {@code rnn.bias_hh_l0}, …,
 * {@code head.weight}, {@code head.bias}.
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
    private final RecurrentLayer<?> rnn;
    private final Linear head;
    private final Cell cell;
    private final int vocabulary;
    private final int hidden;
    private final int layers;

    /**
     * The state of the stack: {@code [h]} or {@code [h, c]}, each {@code [layers, batch, hidden]}.
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
        this.layers = layers;
        this.cell = cell;
        this.embedding = child("embedding", new Embedding(f, random, vocabulary, embedding));
        RecurrentOptions o = new RecurrentOptions(layers, true, true, dropout, false, DType.FLOAT32);
        this.rnn = child("rnn", switch (cell) {
            case RNN_TANH -> new RNN(f, random, embedding, hidden, RNNCell.Nonlinearity.TANH, o);
            case RNN_RELU -> new RNN(f, random, embedding, hidden, RNNCell.Nonlinearity.RELU, o);
            case LSTM -> new LSTM(f, random, embedding, hidden, o);
            case GRU -> new GRU(f, random, embedding, hidden, o);
        });
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
        TensorFactory f = head.weight().factory();
        Tensor h = f.zeros(DType.FLOAT32, layers, batch, hidden);
        return new State(cell == Cell.LSTM ? List.of(h, f.zeros(DType.FLOAT32, layers, batch, hidden)) : List.of(h));
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
        int batch = input.dim(0);
        int steps = input.dim(1);
        Tensor e = embedding.forward(input);              // [batch, steps, E]
        RecurrentOutput<?> out = run(e, state);
        Tensor h = out.output().reshape(batch * steps, hidden);
        Object s = out.state();
        State end = new State(s instanceof LSTMState l ? List.of(l.h(), l.c()) : List.of((Tensor) s));
        return new Output(head.forward(h), end);
    }

    @SuppressWarnings("unchecked")
    private RecurrentOutput<?> run(Tensor e, State state) {
        int want = cell == Cell.LSTM ? 2 : 1;
        if (state.tensors().size() != want) {
            throw new ShapeException("CharLanguageModel: the state of a " + cell + " stack has " + want
                    + " tensors, got " + state.tensors().size());
        }
        Object initial = cell == Cell.LSTM ? new LSTMState(state.tensors().get(0), state.tensors().get(1))
                : state.tensors().getFirst();
        return ((RecurrentLayer<Object>) rnn).forward(e, initial);
    }
}
