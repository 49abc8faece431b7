package dev.nabla.models.recurrent.tree;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Embedding;
import dev.nabla.models.nn.LSTMCell;
import dev.nabla.models.nn.LSTMState;
import dev.nabla.models.nn.Linear;

import java.util.List;

/**
 * The baseline for the tree networks: an LSTM reading an expression's flattened text
 * {@code ( + 3 ( * 4 5 ) )} token by token, its last state classifying the value:
 * <pre>
 *   (h_t, c_t) = LSTM(E[x_t], (h_{t-1}, c_{t-1})),   logits = W h_T + b
 * </pre>
 * (PyTorch's {@code LSTMCell} equations, see {@link LSTMCell}). A padded batch is read together; a
 * sequence past its length keeps its last state. Parameters: {@code embedding.weight}, {@code lstm.*},
 * {@code output.*}.
 */
public final class SequenceLstm extends Block {
    private final Embedding embedding;
    private final LSTMCell lstm;
    private final Linear output;

    /**
     * @param embed  the token embedding's size
     * @param hidden the LSTM's size
     */
    public SequenceLstm(TensorFactory f, Generator random, int embed, int hidden) {
        this.embedding = child("embedding", new Embedding(f, random, Expressions.VOCABULARY.size(), embed));
        this.lstm = child("lstm", new LSTMCell(f, random, embed, hidden));
        this.output = child("output", new Linear(f, random, hidden, TreeNetwork.CLASSES));
    }

    /**
     * The logits {@code [B, 10]} of a padded batch.
     *
     * @param tokens  int64 {@code [B, T]}
     * @param lengths each row's length
     */
    public Tensor forward(Tensor tokens, long[] lengths) {
        int b = tokens.dim(0);
        long[] ids = tokens.toLongArray();
        int width = tokens.dim(1);
        LSTMState s = lstm.initialState(b);
        for (int t = 0; t < width; t++) {
            boolean[] live = new boolean[b];
            long[] column = new long[b];
            boolean all = true;
            for (int i = 0; i < b; i++) {
                live[i] = lengths[i] > t;
                all &= live[i];
                column[i] = ids[i * width + t];
            }
            // each step looks its tokens up: no step slices a tensor that needs a gradient
            LSTMState next = lstm.step(embedding.forward(tokens.factory().of(column, b)), s);
            s = all ? next : lstm.where(tokens.factory().of(live, b), next, s);
        }
        return output.forward(lstm.output(s));
    }

    /** The logits of {@code trees}, read as flattened text. */
    public Tensor forward(List<Expression> trees) {
        int width = 0;
        for (Expression e : trees) {
            width = Math.max(width, Expressions.tokens(e).length);
        }
        long[] ids = new long[trees.size() * width];
        long[] lengths = new long[trees.size()];
        for (int i = 0; i < trees.size(); i++) {
            long[] t = Expressions.tokens(trees.get(i));
            System.arraycopy(t, 0, ids, i * width, t.length);
            lengths[i] = t.length;
        }
        return forward(embedding.weight().factory().of(ids, trees.size(), width), lengths);
    }
}
