package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Init;

import java.util.List;

/**
 * SNAIL's dense block (Mishra et al., 2018): a dilated causal 1-D convolution of kernel 2 with a gated
 * activation, whose output is concatenated to its input. For a sequence {@code x [B, T, C]} and dilation
 * {@code d},
 * <pre>
 *   f_t = W_f,0 · x_{t−d} + W_f,1 · x_t + b_f          (x_{t−d} = 0 for t &lt; d: causal)
 *   g_t = W_g,0 · x_{t−d} + W_g,1 · x_t + b_g
 *   a_t = tanh(f_t) ⊙ σ(g_t)                            (D filters)
 *   y_t = [x_t ; a_t]                                   ([B, T, C + D])
 * </pre>
 * so {@code y_t} depends on {@code x_s} for {@code s ≤ t} only. The two convolutions are one of
 * {@code 2D} filters, parameters {@code weight [2D, C, 2]} (filter then gate) and {@code bias [2D]},
 * uniform in {@code ±1/sqrt(2C)} like PyTorch's {@code nn.Conv1d}.
 */
public final class DenseBlock extends Block {
    private final int in;
    private final int filters;
    private final int dilation;
    private final Tensor weight;
    private final Tensor bias;

    /**
     * A block from {@code in} channels adding {@code filters}, at {@code dilation}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public DenseBlock(TensorFactory f, Generator random, int in, int filters, int dilation) {
        this(f, random, in, filters, dilation, DType.FLOAT32);
    }

    /**
     * As {@link #DenseBlock(TensorFactory, Generator, int, int, int)}, with parameters in {@code dtype} (drawn in
     * float32 and converted; float64 for gradient checks).
     */
    public DenseBlock(TensorFactory f, Generator random, int in, int filters, int dilation, DType dtype) {
        if (in < 1 || filters < 1 || dilation < 1) {
            throw new IllegalArgumentException("DenseBlock: in, filters and dilation must be positive, got " + in + ", "
                    + filters + ", " + dilation);
        }
        this.in = in;
        this.filters = filters;
        this.dilation = dilation;
        try (Scope ignored = Scope.open()) {
            weight = parameter("weight", Init.lecunUniform(f, random, 2 * in, 2 * filters, in, 2).to(dtype));
            bias = parameter("bias", Init.lecunUniform(f, random, 2 * in, 2 * filters).to(dtype));
        }
    }

    /**
     * {@code [x ; tanh(f) ⊙ σ(g)]}, {@code [B, T, C]} to {@code [B, T, C + D]}. Kernel 2 makes the causal
     * convolution two matrix products over all {@code B·T} steps at once,
     * {@code [f ; g] = shift_d(x) · W_{·,·,0}ᵀ + x · W_{·,·,1}ᵀ + b} with {@code shift_d(x)_t = x_{t−d}} (zero
     * before the start) — the same numbers as {@link Tensor#conv1dCausal} ({@link #convolve}) in two GEMMs.
     */
    public Tensor forward(Tensor x) {
        check(x);
        int b = x.dim(0);
        int t = x.dim(1);
        Tensor shifted = x.pad(new int[] {0, dilation, 0}, new int[] {0, 0, 0}, 0.0).slice(1, 0, t);
        Tensor h = shifted.reshape(b * t, in).matmul(weight.select(2, 0).t())
                .add(x.reshape(b * t, in).matmul(weight.select(2, 1).t())).add(bias).reshape(b, t, 2 * filters);
        List<Tensor> fg = h.chunk(2, 2);
        return Tensor.concat(List.of(x, fg.get(0).tanh().mul(fg.get(1).sigmoid())), 2);
    }

    /** The same as {@link #forward}, through {@link Tensor#conv1dCausal} on {@code [B, C, T]}. */
    public Tensor convolve(Tensor x) {
        check(x);
        Tensor h = x.transpose(1, 2).conv1dCausal(weight, bias, dilation);   // [B, 2D, T]
        List<Tensor> fg = h.chunk(2, 1);
        Tensor a = fg.get(0).tanh().mul(fg.get(1).sigmoid()).transpose(1, 2);   // [B, T, D]
        return Tensor.concat(List.of(x, a), 2);
    }

    private void check(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != in) {
            throw new ShapeException("DenseBlock(" + in + " + " + filters + "): input " + x.shape() + " must be [B, T, "
                    + in + "]");
        }
    }

    /** The dilation. */
    public int dilation() {
        return dilation;
    }

    /** Channels out: {@code in + filters}. */
    public int outChannels() {
        return in + filters;
    }
}
