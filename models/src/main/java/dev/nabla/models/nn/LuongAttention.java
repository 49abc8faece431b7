package dev.nabla.models.nn;

import dev.nabla.api.nn.AttentionResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;

import java.util.Locale;
import java.util.Objects;

/**
 * Luong et al. (2015)'s attention of the decoder state {@code h_t [B, Q]} over the encoder outputs
 * {@code h̄_1 … h̄_S [B, S, D]}: a score, a window, and the context {@code c_t = Σ_s a_t(s) h̄_s}.
 *
 * <p><b>Scores</b> ({@link Score}):
 * <pre>
 *   dot        e_t(s) = h_tᵀ h̄_s                       (Q = D)
 *   general    e_t(s) = h_tᵀ W_a h̄_s                   W_a: parameter score.weight [D, Q] (x·W layout)
 *   concat     e_t(s) = v_aᵀ tanh(W_1 h_t + W_2 h̄_s)    as {@link AdditiveAttention}, child concat
 *   location   e_t    = W_a h_t                        W_a: location.weight [Q, S_max]; s reads column s
 * </pre>
 * <b>Windows</b> ({@link Window}), half-width {@code D} (here {@code halfWidth}):
 * <pre>
 *   global     a_t = softmax over every real position of e_t
 *   local-m    p_t = min(t, len − 1);  a_t = softmax over the real positions with |s − p_t| ≤ D
 *   local-p    p_t = len · σ(v_pᵀ tanh(W_p h_t))  ∈ (0, len)
 *              a_t(s) = softmax over the real positions with |s − p_t| ≤ D of e_t, times exp(−(s − p_t)² / (2σ²)),  σ = D/2
 * </pre>
 * with {@code len} each source's own length, positions counted from 0 and {@code a_t(s) = 0} outside
 * the window and on padding. Local-m clamps {@code p_t} to the last real position so that a decoder
 * longer than its source still has a window. The local-p alignment does not sum to 1 (Luong's form): the
 * Gaussian favours positions near {@code p_t}, and {@code p_t} is learnt through it ({@code W_p}:
 * {@code position_hidden.weight [Q, A]}, {@code v_p}: {@code position.weight [A, 1]}); the window itself
 * is chosen from {@code p_t}'s value and passes no gradient. {@code D ≥ 1} guarantees every window holds
 * a real position.
 */
public final class LuongAttention extends Block implements SourceAttention {
    /** The score function. */
    public enum Score {
        /** {@code h_tᵀ h̄_s}. */
        DOT,
        /** {@code h_tᵀ W_a h̄_s}. */
        GENERAL,
        /** {@code v_aᵀ tanh(W_1 h_t + W_2 h̄_s)}. */
        CONCAT,
        /** {@code (W_a h_t)_s}: the position alone, not the source's content. */
        LOCATION;

        /** The score called {@code name} ({@code dot}, {@code general}, {@code concat}, {@code location}). */
        public static Score of(String name) {
            for (Score s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("score must be dot, general, concat or location, got '" + name + "'");
        }
    }

    /** Which source positions a step attends to. */
    public enum Window {
        /** Every real position. */
        GLOBAL,
        /** {@code |s − t| ≤ D}. */
        LOCAL_M,
        /** {@code |s − p_t| ≤ D} for a predicted {@code p_t}, with a Gaussian around it. */
        LOCAL_P;

        /** The window called {@code name} ({@code global}, {@code local-m}, {@code local-p}). */
        public static Window of(String name) {
            for (Window w : values()) {
                if (w.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) {
                    return w;
                }
            }
            throw new IllegalArgumentException("window must be global, local-m or local-p, got '" + name + "'");
        }
    }

    private final Score score;
    private final Window window;
    private final int querySize;
    private final int keySize;
    private final int halfWidth;
    private final int maxSource;
    private final Linear general;
    private final AdditiveAttention concat;
    private final Linear location;
    private final Linear positionHidden;
    private final Linear position;

    /**
     * The attention.
     *
     * @param querySize {@code Q}
     * @param keySize   {@code D} (equal to {@code Q} for {@link Score#DOT})
     * @param size      the hidden size {@code A} of the concat score and of local-p's position network
     * @param halfWidth the window's half-width {@code D}, at least 1 (unused by the global window)
     * @param maxSource the longest source the location score reads (its output size); unused by the others
     * @param dtype     the parameters' dtype
     * @throws IllegalArgumentException for sizes that do not fit the score
     */
    public LuongAttention(TensorFactory f, Generator random, Score score, Window window, int querySize, int keySize,
                          int size, int halfWidth, int maxSource, DType dtype) {
        this.score = Objects.requireNonNull(score, "score");
        this.window = Objects.requireNonNull(window, "window");
        if (querySize < 1 || keySize < 1 || size < 1) {
            throw new IllegalArgumentException("LuongAttention: sizes must be positive, got query " + querySize + ", key "
                    + keySize + ", hidden " + size);
        }
        if (score == Score.DOT && querySize != keySize) {
            throw new IllegalArgumentException("LuongAttention: the dot score needs query and key of one size, got "
                    + querySize + " and " + keySize);
        }
        if (window != Window.GLOBAL && halfWidth < 1) {
            throw new IllegalArgumentException("LuongAttention: the window half-width D must be at least 1, got " + halfWidth);
        }
        if (score == Score.LOCATION && maxSource < 1) {
            throw new IllegalArgumentException("LuongAttention: the location score needs maxSource >= 1, got " + maxSource);
        }
        this.querySize = querySize;
        this.keySize = keySize;
        this.halfWidth = halfWidth;
        this.maxSource = maxSource;
        this.general = score == Score.GENERAL ? child("score", new Linear(f, random, keySize, querySize, false, dtype)) : null;
        this.concat = score == Score.CONCAT ? child("concat", new AdditiveAttention(f, random, querySize, keySize, size, dtype)) : null;
        this.location = score == Score.LOCATION ? child("location", new Linear(f, random, querySize, maxSource, true, dtype)) : null;
        this.positionHidden = window == Window.LOCAL_P
                ? child("position_hidden", new Linear(f, random, querySize, size, false, dtype)) : null;
        this.position = window == Window.LOCAL_P ? child("position", new Linear(f, random, size, 1, false, dtype)) : null;
    }

    /** The score function. */
    public Score score() {
        return score;
    }

    /** The window. */
    public Window window() {
        return window;
    }

    @Override
    public SourceMemory memory(Tensor keys, long[] lengths) {
        if (keys.rank() != 3 || keys.dim(2) != keySize) {
            throw new ShapeException("LuongAttention: keys must be [B, S, " + keySize + "], got " + keys.shape());
        }
        if (score == Score.LOCATION && keys.dim(1) > maxSource) {
            throw new ShapeException("LuongAttention: the location score reads at most " + maxSource
                    + " source positions, got keys " + keys.shape());
        }
        Tensor mask = SourceMemory.paddingMask(keys, lengths, keys.dim(1));
        return switch (score) {
            case DOT, LOCATION -> new SourceMemory(keys, keys, mask, lengths);
            case GENERAL -> new SourceMemory(keys, general.forward(keys), mask, lengths);
            case CONCAT -> concat.memory(keys, lengths);
        };
    }

    /** The scores {@code e_t [B, S]} before any mask or window. */
    public Tensor scores(Tensor q, SourceMemory memory) {
        if (q.rank() != 2 || q.dim(0) != memory.batch() || q.dim(1) != querySize) {
            throw new ShapeException("LuongAttention: query must be [" + memory.batch() + ", " + querySize + "] for keys "
                    + memory.keys().shape() + ", got " + q.shape());
        }
        return switch (score) {
            case DOT, GENERAL -> memory.projected().matmul(q.unsqueeze(2)).squeeze(2);
            case CONCAT -> concat.scores(q, memory);
            case LOCATION -> location.forward(q).slice(1, 0, memory.width());
        };
    }

    /** Local-p's predicted centres {@code p_t = len · σ(v_pᵀ tanh(W_p h_t))}, {@code [B]}. */
    public Tensor predictedPosition(Tensor q, SourceMemory memory) {
        if (window != Window.LOCAL_P) {
            throw new IllegalStateException("LuongAttention: only the local-p window predicts a position, this is " + window);
        }
        double[] len = new double[memory.batch()];
        for (int b = 0; b < len.length; b++) {
            len[b] = memory.lengths()[b];
        }
        Tensor lengths = q.factory().of(len, len.length).to(q.dtype());
        return position.forward(positionHidden.forward(q).tanh()).squeeze(1).sigmoid().mul(lengths);
    }

    @Override
    public AttentionResult attend(Tensor q, SourceMemory memory, int step) {
        Tensor e = scores(q, memory);
        int b = memory.batch();
        int width = memory.width();
        long[] len = memory.lengths();
        Tensor a;
        switch (window) {
            case GLOBAL -> a = SourceAttention.maskedSoftmax(e, memory.mask());
            case LOCAL_M -> {
                double[] centre = new double[b];
                for (int i = 0; i < b; i++) {
                    centre[i] = Math.min(step, len[i] - 1);
                }
                a = SourceAttention.maskedSoftmax(e, windowMask(q, centre, len, width));
            }
            case LOCAL_P -> {
                Tensor p = predictedPosition(q, memory);                        // [B]
                double[] centre = p.toDoubleArray();
                Tensor inside = windowMask(q, centre, len, width);
                Tensor positions = q.factory().arange(0, width, 1, q.dtype()).reshape(1, width);
                double sigma = halfWidth / 2.0;
                Tensor gauss = positions.sub(p.unsqueeze(1)).square().div(-2 * sigma * sigma).exp();   // [B, S]
                a = SourceAttention.maskedSoftmax(e, inside).mul(gauss);
            }
            default -> throw new IllegalStateException(String.valueOf(window));
        }
        return new AttentionResult(SourceAttention.context(a, memory.keys()), a);
    }

    /** True at the real positions {@code s} with {@code |s − centre_b| ≤ D}. */
    private Tensor windowMask(Tensor like, double[] centre, long[] len, int width) {
        boolean[] m = new boolean[centre.length * width];
        for (int i = 0; i < centre.length; i++) {
            for (int s = 0; s < len[i]; s++) {
                m[i * width + s] = Math.abs(s - centre[i]) <= halfWidth;
            }
        }
        return like.factory().of(m, centre.length, width);
    }

    @Override
    public String toString() {
        return "LuongAttention(" + score.name().toLowerCase(Locale.ROOT) + ", "
                + window.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (window == Window.GLOBAL ? "" : ", D=" + halfWidth) + ")";
    }
}
