package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.ModuleList;

import java.util.ArrayList;
import java.util.List;

/**
 * SNAIL's temporal-convolution block: dense blocks ({@link DenseBlock}) of {@code D} filters each at
 * dilations {@code 1, 2, 4, …, 2^{L−1}} with {@code L = max(1, ⌈log₂ T⌉)}, so that with kernel 2 the
 * receptive field {@code 1 + Σ d = 2^L ≥ T} covers the whole sequence of length {@code T}:
 * <pre>
 *   y = DenseBlock_{2^{L−1}}( … DenseBlock_2( DenseBlock_1(x) ) … )      ([B, T, C] → [B, T, C + L·D])
 * </pre>
 * (The paper's listing starts at dilation 2; starting at 1 also reaches adjacent steps.) Children
 * {@code blocks.0 …}.
 */
public final class TcBlock extends Block {
    private final ModuleList blocks;
    private final int out;

    /** A block for sequences up to {@code length}, from {@code in} channels, {@code filters} per dense block. */
    public TcBlock(TensorFactory f, Generator random, int length, int in, int filters) {
        this(f, random, length, in, filters, DType.FLOAT32);
    }

    /** As {@link #TcBlock(TensorFactory, Generator, int, int, int)}, with parameters in {@code dtype}. */
    public TcBlock(TensorFactory f, Generator random, int length, int in, int filters, DType dtype) {
        blocks = child("blocks", new ModuleList());
        int c = in;
        for (int d : dilations(length)) {
            c = blocks.append(new DenseBlock(f, random, c, filters, d, dtype)).outChannels();
        }
        out = c;
    }

    /**
     * The dilations for sequences of {@code length}: {@code 1, 2, 4, …, 2^{L−1}}, {@code L = max(1, ⌈log₂ length⌉)}.
     *
     * @throws IllegalArgumentException if the length is below 1
     */
    public static List<Integer> dilations(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("TcBlock: sequence length must be at least 1, got " + length);
        }
        List<Integer> d = new ArrayList<>();
        for (int x = 1; d.isEmpty() || x < length; x *= 2) {
            d.add(x);
        }
        return d;
    }

    /** {@code [B, T, C]} to {@code [B, T, C + L·D]}. */
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Block b : blocks.children().values()) {
            h = ((DenseBlock) b).forward(h);
        }
        return h;
    }

    /** Channels out. */
    public int outChannels() {
        return out;
    }
}
