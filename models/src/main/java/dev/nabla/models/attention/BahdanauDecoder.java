package dev.nabla.models.attention;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.nn.AdditiveAttention;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.SourceMemory;

import java.util.List;

/**
 * Bahdanau et al. (2015)'s decoder: the previous state attends, and the previous state, the previous
 * output and the context decide the next output. With {@code y_{t−1}} the embedded previous output,
 * {@code s_{t−1}} the state and {@code h̄} the encoder outputs:
 * <pre>
 *   e_t(s) = vᵀ tanh(W_s s_{t−1} + W_h h̄_s),   a_t = softmax over the real positions,   c_t = Σ_s a_t(s) h̄_s
 *   s_t    = GRU([y_{t−1}; c_t], s_{t−1})
 *   logits = W_o [s_t; c_t; y_{t−1}] + b_o
 * </pre>
 * Parameters: {@code attention.*} ({@link AdditiveAttention}), {@code cell.*} ({@link GRUCell}, PyTorch's
 * names and layout), {@code output.weight [H + D + E, V]}, {@code output.bias}.
 */
public final class BahdanauDecoder extends Block implements AttentionDecoder {
    private final AdditiveAttention attention;
    private final GRUCell cell;
    private final Linear output;

    /**
     * The decoder.
     *
     * @param embed  {@code E}
     * @param hidden {@code H}, the state's size
     * @param keys   {@code D}, the encoder outputs' size
     * @param size   {@code A}, the attention's hidden size
     * @param vocab  {@code V}
     */
    public BahdanauDecoder(TensorFactory f, Generator random, int embed, int hidden, int keys, int size, int vocab,
                           DType dtype) {
        this.attention = child("attention", new AdditiveAttention(f, random, hidden, keys, size, dtype));
        this.cell = child("cell", new GRUCell(f, random, embed + keys, hidden, true, dtype));
        this.output = child("output", new Linear(f, random, hidden + keys + embed, vocab, true, dtype));
    }

    @Override
    public AdditiveAttention attention() {
        return attention;
    }

    @Override
    public State initial(Tensor s0) {
        return new State(s0, null);
    }

    @Override
    public Step step(Tensor previous, State state, SourceMemory memory, int step, Focus focus) {
        AttentionResult r = attention.attend(state.h(), memory, step);
        Pick c = focus.pick(r, memory);
        Tensor s = cell.step(Tensor.concat(List.of(previous, c.context()), 1), state.h());
        Tensor logits = output.forward(Tensor.concat(List.of(s, c.context(), previous), 1));
        return new Step(logits, new State(s, null), r.weights(), c.logProb());
    }

    @Override
    public String toString() {
        return "BahdanauDecoder(" + attention + ", " + cell + ")";
    }
}
