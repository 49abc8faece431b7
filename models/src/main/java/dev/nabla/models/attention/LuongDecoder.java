package dev.nabla.models.attention;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.GRUCell;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.LuongAttention;
import dev.nabla.models.nn.SourceMemory;

import java.util.List;

/**
 * Luong et al. (2015)'s decoder with input feeding: the new state attends, and the attentional vector
 * {@code h̃_t} both predicts the output and is fed to the next step. With {@code y_{t−1}} the embedded
 * previous output:
 * <pre>
 *   h_t    = GRU([y_{t−1}; h̃_{t−1}], h_{t−1}),   h̃_0 = 0
 *   a_t    = align(h_t, h̄)   ({@link LuongAttention}: dot, general, concat or location; global, local-m or local-p)
 *   c_t    = Σ_s a_t(s) h̄_s
 *   h̃_t    = tanh(W_c [c_t; h_t])
 *   logits = W_o h̃_t + b_o
 * </pre>
 * Parameters: {@code attention.*}, {@code cell.*} ({@link GRUCell}), {@code combine.weight [D + H, H]}
 * (no bias), {@code output.weight [H, V]}, {@code output.bias}.
 */
public final class LuongDecoder extends Block implements AttentionDecoder {
    private final LuongAttention attention;
    private final GRUCell cell;
    private final Linear combine;
    private final Linear output;
    private final int hidden;

    /**
     * The decoder.
     *
     * @param embed     {@code E}
     * @param hidden    {@code H}
     * @param keys      {@code D}, the encoder outputs' size
     * @param size      the concat score's and local-p's hidden size
     * @param vocab     {@code V}
     * @param halfWidth the local windows' half-width {@code D}
     * @param maxSource the longest source the location score reads
     */
    public LuongDecoder(TensorFactory f, Generator random, LuongAttention.Score score, LuongAttention.Window window,
                        int embed, int hidden, int keys, int size, int vocab, int halfWidth, int maxSource, DType dtype) {
        this.hidden = hidden;
        this.attention = child("attention", new LuongAttention(f, random, score, window, hidden, keys, size, halfWidth,
                maxSource, dtype));
        this.cell = child("cell", new GRUCell(f, random, embed + hidden, hidden, true, dtype));
        this.combine = child("combine", new Linear(f, random, keys + hidden, hidden, false, dtype));
        this.output = child("output", new Linear(f, random, hidden, vocab, true, dtype));
    }

    @Override
    public LuongAttention attention() {
        return attention;
    }

    @Override
    public State initial(Tensor s0) {
        return new State(s0, s0.factory().zeros(s0.dtype(), s0.dim(0), hidden));
    }

    @Override
    public Step step(Tensor previous, State state, SourceMemory memory, int step, Focus focus) {
        Tensor h = cell.step(Tensor.concat(List.of(previous, state.feed()), 1), state.h());
        AttentionResult r = attention.attend(h, memory, step);
        Pick c = focus.pick(r, memory);
        Tensor attentional = combine.forward(Tensor.concat(List.of(c.context(), h), 1)).tanh();
        return new Step(output.forward(attentional), new State(h, attentional), r.weights(), c.logProb());
    }

    @Override
    public String toString() {
        return "LuongDecoder(" + attention + ", " + cell + ")";
    }
}
