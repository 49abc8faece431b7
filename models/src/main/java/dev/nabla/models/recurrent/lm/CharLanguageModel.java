package dev.nabla.models.recurrent.lm;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Dropout;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.Linear;

import java.util.ArrayList;
import java.util.List;

/**
 * A character-level language model: an embedding, a stack of recurrent cells with dropout between
 * layers, and a linear head over the vocabulary,
 * <pre>
 *   e_t = E[x_t],   h⁽¹⁾_t = cell₁(e_t, h⁽¹⁾_{t−1}),   h⁽ˡ⁾_t = cellₗ(drop(h⁽ˡ⁻¹⁾_t), h⁽ˡ⁾_{t−1}),
 *   logits_t = W h⁽ᴸ⁾_t + b,   p(x_{t+1} | x_{≤t}) = softmax(logits_t)
 * </pre>
 * trained by cross-entropy against the next character. The state of the whole stack is a
 * {@link State}: per layer, the tensors of its cell's state ({@code [h]} or {@code [h, c]}), each
 * {@code [batch, hidden]}; a forward pass over a window starts from a given state and returns the state
 * after its last step, which truncated backpropagation through time carries into the next window.
 * Parameters: {@code embedding.weight}, {@code cells.L.…} (the cells' own names, PyTorch's
 * {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}), {@code head.weight},
 * {@code head.bias}.
 */
public final class CharLanguageModel extends Block {
    private final Embedding embedding;
    private final List<RecurrentCell<?>> cells = new ArrayList<>();
    private final Dropout dropout;
    private final Linear head;
    private final int vocabulary;
    private final int hidden;

    /**
     * The state of the stack: per layer, the tensors of its cell's state.
     *
     * @param layers the per-layer state tensors, bottom layer first
     */
    public record State(List<List<Tensor>> layers) {
        /** Copies the lists. */
        public State {
            layers = layers.stream().map(List::copyOf).toList();
        }

        /** Every tensor, layer by layer. */
        public List<Tensor> tensors() {
            return layers.stream().flatMap(List::stream).toList();
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
     * A model with freshly drawn parameters.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them (and the dropout masks) from
     * @param vocabulary the number of token ids
     * @param embedding  the size of a character's embedding
     * @param hidden     the size of each cell's {@code h}
     * @param cellOfLayer makes layer {@code l}'s cell given its input size ({@code embedding} for layer 0, else {@code hidden})
     * @param layers     the number of stacked cells
     * @param dropout    the dropout probability between layers (0: none)
     */
    public CharLanguageModel(TensorFactory f, Generator random, int vocabulary, int embedding, int hidden,
                             CellFactory cellOfLayer, int layers, double dropout) {
        this.vocabulary = vocabulary;
        this.hidden = hidden;
        this.embedding = child("embedding", new Embedding(f, random, vocabulary, embedding));
        for (int l = 0; l < layers; l++) {
            RecurrentCell<?> cell = cellOfLayer.create(l == 0 ? embedding : hidden);
            if (!(cell instanceof Block b)) {
                throw new IllegalArgumentException("CharLanguageModel: a cell must be a Block, got " + cell.getClass().getName());
            }
            child("cells_" + l, b);
            cells.add(cell);
        }
        this.dropout = child("dropout", new Dropout(dropout, random.split()));
        this.head = child("head", new Linear(f, random, hidden, vocabulary));
    }

    /** Makes one layer's cell. */
    @FunctionalInterface
    public interface CellFactory {
        /**
         * The cell.
         *
         * @param inputSize the size of its input
         * @return a cell that is a {@link Block}
         */
        RecurrentCell<?> create(int inputSize);
    }

    /** The number of token ids. */
    public int vocabulary() {
        return vocabulary;
    }

    /** The size of {@code h}. */
    public int hidden() {
        return hidden;
    }

    /** The cells, bottom first. */
    public List<RecurrentCell<?>> cells() {
        return List.copyOf(cells);
    }

    /** The zero state for {@code batch} sequences. */
    public State initialState(int batch) {
        List<List<Tensor>> layers = new ArrayList<>();
        for (RecurrentCell<?> c : cells) {
            layers.add(zero(c, batch));
        }
        return new State(layers);
    }

    private static <S> List<Tensor> zero(RecurrentCell<S> cell, int batch) {
        return cell.stateTensors(cell.initialState(batch));
    }

    /**
     * The logits of every step of {@code input} from {@code state}.
     *
     * @param input int64 {@code [batch, steps]} token ids
     * @param state the state before the first step ({@link #initialState} for a fresh start)
     * @return the logits and the state after the last step
     * @throws ShapeException if the input is not {@code [batch, steps]} or the state has another batch size
     */
    public Output forward(Tensor input, State state) {
        if (input.rank() != 2) {
            throw new ShapeException("CharLanguageModel: input must be [batch, steps] token ids, got " + input.describe());
        }
        if (state.layers().size() != cells.size()) {
            throw new ShapeException("CharLanguageModel: the state has " + state.layers().size() + " layers, the model "
                    + cells.size());
        }
        int batch = input.dim(0);
        int steps = input.dim(1);
        Tensor e = embedding.forward(input);              // [batch, steps, E]
        List<List<Tensor>> now = new ArrayList<>(state.layers());
        List<Tensor> outputs = new ArrayList<>(steps);
        for (int t = 0; t < steps; t++) {
            Tensor x = e.select(1, t);
            for (int l = 0; l < cells.size(); l++) {
                if (l > 0) {
                    x = dropout.forward(x);
                }
                List<Tensor> next = step(cells.get(l), x, now.get(l));
                now.set(l, next);
                x = next.getFirst();
            }
            outputs.add(x);
        }
        Tensor h = Tensor.stack(outputs, 1).reshape(batch * steps, hidden);
        return new Output(head.forward(h), new State(now));
    }

    private static <S> List<Tensor> step(RecurrentCell<S> cell, Tensor x, List<Tensor> state) {
        S next = cell.step(x, cell.stateOf(state));
        List<Tensor> out = new ArrayList<>(cell.stateTensors(next));
        Tensor h = cell.output(next);
        if (out.getFirst() != h) {   // keep the output first, whatever the cell's order
            throw new IllegalStateException("CharLanguageModel: cell " + cell.getClass().getSimpleName()
                    + " must list its output h first among its state tensors");
        }
        return out;
    }
}
