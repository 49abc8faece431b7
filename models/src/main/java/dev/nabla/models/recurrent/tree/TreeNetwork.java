package dev.nabla.models.recurrent.tree;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.nn.Block;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive network over binary {@link Expression} trees, computed bottom-up and <b>batched level by
 * level</b>: every node of one height (leaves 0, a parent one more than its higher child) across the whole
 * batch goes through one matrix product, its children's states gathered by index from the levels below
 * (a leaf's children are a zero state). Node {@code j} reads the embedding {@code x_j} of its token
 * ({@code 0-9}, {@code +}, {@code *}) and its children's states {@code (h_L, c_L)}, {@code (h_R, c_R)}.
 *
 * <p><b>Tree-RNN</b> ({@link Kind#RNN}):
 * <pre>
 *   h = tanh(W [x; h_L; h_R] + b)
 * </pre>
 * <b>Binary Tree-LSTM</b> ({@link Kind#LSTM}; Tai, Socher and Manning 2015, the N-ary Tree-LSTM with
 * N = 2: a forget gate per child, each seeing both children):
 * <pre>
 *   i   = σ(W_i x + U_i^L h_L + U_i^R h_R + b_i)
 *   f_L = σ(W_f x + U_fL^L h_L + U_fL^R h_R + b_fL)
 *   f_R = σ(W_f x + U_fR^L h_L + U_fR^R h_R + b_fR)
 *   o   = σ(W_o x + U_o^L h_L + U_o^R h_R + b_o)
 *   u   = tanh(W_u x + U_u^L h_L + U_u^R h_R + b_u)
 *   c   = i ⊙ u + f_L ⊙ c_L + f_R ⊙ c_R
 *   h   = o ⊙ tanh(c)
 * </pre>
 * computed as one product {@code [x; h_L; h_R] · weight + bias} with {@code weight [E + 2H, 5H]}, the
 * columns in the order {@code i, f_L, f_R, o, u} (the two forget gates have separate input weights
 * {@code W_f}, a superset of the paper's shared one). The root's {@code h} classifies the tree:
 * {@code logits = h_root · W_out + b_out} over the 10 values. Parameters: {@code embedding}
 * {@code [tokens, E]} (N(0, 1)), {@code weight} and {@code bias} (uniform ±1/√H, as PyTorch's cells),
 * {@code output_weight [H, 10]}, {@code output_bias [10]} (uniform ±1/√H).
 *
 * <p>{@link #forward} is the batched computation; {@link #forwardOneByOne} computes each node alone,
 * recursively, with the same parameters — the reference the batching is tested against.
 */
public final class TreeNetwork extends Block {
    /** The cell at each node. */
    public enum Kind {
        /** The Tree-RNN. */
        RNN,
        /** The binary Tree-LSTM. */
        LSTM
    }

    /** The number of classes (values mod 10). */
    public static final int CLASSES = 10;

    private final Kind kind;
    private final int embed;
    private final int hidden;
    private final Tensor embedding;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor outputWeight;
    private final Tensor outputBias;

    /**
     * A network with freshly drawn parameters.
     *
     * @param kind   Tree-RNN or Tree-LSTM
     * @param embed  the size {@code E} of a token's embedding
     * @param hidden the size {@code H} of a node's state
     * @param dtype  float32 or float64
     */
    public TreeNetwork(TensorFactory f, Generator random, Kind kind, int embed, int hidden, DType dtype) {
        if (embed < 1 || hidden < 1) {
            throw new IllegalArgumentException("TreeNetwork: embed and hidden must be positive, got " + embed + " and " + hidden);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("TreeNetwork: dtype must be float32 or float64, got " + dtype);
        }
        this.kind = kind;
        this.embed = embed;
        this.hidden = hidden;
        int gates = kind == Kind.LSTM ? 5 : 1;
        double a = 1 / Math.sqrt(hidden);
        this.embedding = parameter("embedding", f.normal(random, 0, 1,
                Shape.of(Expressions.VOCABULARY.size(), embed), dtype));
        this.weight = parameter("weight", f.uniform(random, -a, a, Shape.of(embed + 2 * hidden, gates * hidden), dtype));
        this.bias = parameter("bias", f.uniform(random, -a, a, Shape.of(gates * hidden), dtype));
        this.outputWeight = parameter("output_weight", f.uniform(random, -a, a, Shape.of(hidden, CLASSES), dtype));
        this.outputBias = parameter("output_bias", f.uniform(random, -a, a, Shape.of(CLASSES), dtype));
    }

    /** Tree-RNN or Tree-LSTM. */
    public Kind kind() {
        return kind;
    }

    /** A node's state: {@code h}, and {@code c} for the Tree-LSTM (null for the Tree-RNN). */
    private record State(Tensor h, Tensor c) {
    }

    /** One node cell applied to rows: token embeddings {@code x [n, E]} and the children's states. */
    private State cell(Tensor x, State left, State right) {
        Tensor z = Tensor.concat(List.of(x, left.h(), right.h()), 1).matmul(weight).add(bias);
        if (kind == Kind.RNN) {
            return new State(z.tanh(), null);
        }
        List<Tensor> g = z.split(1, hidden, hidden, hidden, hidden, hidden);
        Tensor c = g.get(0).sigmoid().mul(g.get(4).tanh())
                .add(g.get(1).sigmoid().mul(left.c()))
                .add(g.get(2).sigmoid().mul(right.c()));
        return new State(g.get(3).sigmoid().mul(c.tanh()), c);
    }

    private Tensor ids(long[] rows) {
        return weight.factory().of(rows, rows.length);
    }

    /**
     * The logits {@code [B, 10]} of a batch of trees, level by level: one cell application (one matrix
     * product) per height, over all the nodes of that height in the batch.
     */
    public Tensor forward(List<Expression> trees) {
        if (trees.isEmpty()) {
            throw new IllegalArgumentException("TreeNetwork.forward: no trees");
        }
        // number the nodes level by level; row 0 of the stores is the zero state of a leaf's children
        Map<Expression, Integer> height = new IdentityHashMap<>();
        List<List<Expression>> levels = new ArrayList<>();
        for (Expression t : trees) {
            collect(t, height, levels);
        }
        Map<Expression, Integer> row = new IdentityHashMap<>();
        int next = 1;
        for (List<Expression> level : levels) {
            for (Expression e : level) {
                row.put(e, next++);
            }
        }
        TensorFactory f = weight.factory();
        Tensor h = f.zeros(weight.dtype(), 1, hidden);
        Tensor c = kind == Kind.LSTM ? f.zeros(weight.dtype(), 1, hidden) : null;
        for (List<Expression> level : levels) {
            int n = level.size();
            long[] tokens = new long[n];
            long[] left = new long[n];
            long[] right = new long[n];
            for (int j = 0; j < n; j++) {
                Expression e = level.get(j);
                tokens[j] = Expressions.VOCABULARY.id(e.token());
                if (e instanceof Expression.Op op) {
                    left[j] = row.get(op.left());
                    right[j] = row.get(op.right());
                }
            }
            Tensor l = ids(left);
            Tensor r = ids(right);
            State s = cell(embedding.indexSelect(0, ids(tokens)),
                    new State(h.indexSelect(0, l), c == null ? null : c.indexSelect(0, l)),
                    new State(h.indexSelect(0, r), c == null ? null : c.indexSelect(0, r)));
            h = Tensor.concat(List.of(h, s.h()), 0);
            c = c == null ? null : Tensor.concat(List.of(c, s.c()), 0);
        }
        long[] roots = new long[trees.size()];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = row.get(trees.get(i));
        }
        return h.indexSelect(0, ids(roots)).matmul(outputWeight).add(outputBias);
    }

    /** Puts {@code e} and its sub-trees into {@code levels} by height (children first) and returns its height. */
    private static int collect(Expression e, Map<Expression, Integer> height, List<List<Expression>> levels) {
        Integer known = height.get(e);
        if (known != null) {
            return known;
        }
        int h = 0;
        for (Expression child : e.children()) {
            h = Math.max(h, collect(child, height, levels) + 1);
        }
        height.put(e, h);
        while (levels.size() <= h) {
            levels.add(new ArrayList<>());
        }
        levels.get(h).add(e);
        return h;
    }

    /**
     * The logits {@code [B, 10]} computed one tree at a time and one node at a time, recursively: the
     * reference for {@link #forward}.
     */
    public Tensor forwardOneByOne(List<Expression> trees) {
        List<Tensor> rows = new ArrayList<>();
        for (Expression t : trees) {
            rows.add(node(t).h().matmul(outputWeight).add(outputBias));
        }
        return Tensor.concat(rows, 0);
    }

    private State node(Expression e) {
        TensorFactory f = weight.factory();
        State zero = new State(f.zeros(weight.dtype(), 1, hidden),
                kind == Kind.LSTM ? f.zeros(weight.dtype(), 1, hidden) : null);
        State left = e instanceof Expression.Op op ? node(op.left()) : zero;
        State right = e instanceof Expression.Op op ? node(op.right()) : zero;
        Tensor x = embedding.indexSelect(0, ids(new long[] {Expressions.VOCABULARY.id(e.token())}));
        return cell(x, left, right);
    }

    @Override
    public String toString() {
        return "TreeNetwork(" + kind + ", embed " + embed + ", hidden " + hidden + ")";
    }
}
