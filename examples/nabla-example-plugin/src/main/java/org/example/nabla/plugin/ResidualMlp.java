package org.example.nabla.plugin;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Activation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A residual multi-layer perceptron, the {@code residual_mlp} layer: {@code L} hidden layers of width
 * {@code hidden} forming a residual stream between an input and an output projection, applied to the last
 * axis of {@code x: [..., in]},
 *
 * <pre>
 *   h₁ = x·W_in + b_in                              W_in: [in, hidden]
 *   h_k = h_{k−1} + σ(h_{k−1})·W_k + b_k,  k = 2…L   W_k: [hidden, hidden]   (the L − 1 residual blocks)
 *   y = σ(h_L)·W_out + b_out                         W_out: [hidden, out]
 * </pre>
 *
 * with {@code σ} the {@code activation} and {@code L} = {@code layers} ({@code 1} gives a one-hidden-layer
 * MLP). {@code layers} counts hidden layers as the model library's {@code mlp} conditioner does, so the two
 * have the same number of weight matrices for the same keys. It satisfies the coupling-conditioner contract of {@code nabla train realnvp --set net=residual_mlp}:
 * built from {@code {in, out, hidden, layers, activation, dtype}}, it maps {@code [batch, in]} to
 * {@code [batch, out]}.
 *
 * <p><b>Initialisation.</b> {@code W_in, b_in ~ U(±1/√in)} (PyTorch's {@code nn.Linear});
 * {@code W_k ~ U(±1/√(hidden·(L−1)))} and {@code b_k = 0}, so each of the {@code L − 1} residual branches
 * adds a variance of order {@code 1/(L−1)} and the stream stays of order one at any depth; {@code W_out = 0} and
 * {@code b_out = 0}, so the layer starts as the zero function. As a coupling conditioner that makes every
 * coupling start as the identity (Glow's zero initialisation), which keeps a deep flow stable in its first
 * steps; the gradient of {@code W_out}, {@code σ(h_L)ᵀ·∂L/∂y}, is non-zero from the first step.
 *
 * <p>Parameters, in this order: {@code input.weight}, {@code input.bias}, {@code blocks.K.weight},
 * {@code blocks.K.bias} for {@code K = 0…L−2}, {@code output.weight}, {@code output.bias}.
 */
public final class ResidualMlp implements Layer {
    private final int in;
    private final int out;
    private final int hidden;
    private final Activation.Kind activation;
    private final DType dtype;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor inputWeight;
    private final Tensor inputBias;
    private final List<Tensor> blockWeights = new ArrayList<>();
    private final List<Tensor> blockBiases = new ArrayList<>();
    private final Tensor outputWeight;
    private final Tensor outputBias;

    /**
     * A freshly initialised residual MLP.
     *
     * @param f          where to allocate the parameters
     * @param random     the generator the initial values are drawn from
     * @param in         input features
     * @param out        output features
     * @param hidden     width of the residual stream
     * @param layers     the number {@code L} of hidden layers, at least 1 ({@code L − 1} residual blocks)
     * @param activation the hidden activation's name ({@code relu}, {@code tanh}, {@code gelu}, …)
     * @param dtype      float32 or float64
     * @throws IllegalArgumentException for non-positive sizes or {@code layers}, an unknown activation or an
     *                                  integer dtype
     */
    public ResidualMlp(TensorFactory f, Generator random, int in, int out, int hidden, int layers, String activation,
            DType dtype) {
        if (in < 1 || out < 1 || hidden < 1 || layers < 1) {
            throw new IllegalArgumentException("residual_mlp: in, out, hidden and layers must be positive, got in="
                    + in + ", out=" + out + ", hidden=" + hidden + ", layers=" + layers);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("residual_mlp: dtype must be float32 or float64, got " + dtype);
        }
        this.in = in;
        this.out = out;
        this.hidden = hidden;
        this.activation = Activation.Kind.parse(activation);
        this.dtype = dtype;
        try (Scope ignored = Scope.open()) {
            double inBound = 1.0 / Math.sqrt(in);
            inputWeight = parameter("input.weight", f.uniform(random, -inBound, inBound, Shape.of(in, hidden), dtype));
            inputBias = parameter("input.bias", f.uniform(random, -inBound, inBound, Shape.of(hidden), dtype));
            double blockBound = 1.0 / Math.sqrt((double) hidden * (layers - 1));
            for (int k = 0; k + 1 < layers; k++) {
                blockWeights.add(parameter("blocks." + k + ".weight",
                        f.uniform(random, -blockBound, blockBound, Shape.of(hidden, hidden), dtype)));
                blockBiases.add(parameter("blocks." + k + ".bias", f.zeros(Shape.of(hidden), dtype)));
            }
            outputWeight = parameter("output.weight", f.zeros(Shape.of(hidden, out), dtype));
            outputBias = parameter("output.bias", f.zeros(Shape.of(out), dtype));
        }
    }

    private Tensor parameter(String name, Tensor initial) {
        Tensor p = initial.toParameter();
        parameters.put(name, p);
        return p;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }

    /** Width of the residual stream. */
    public int hidden() {
        return hidden;
    }

    /** Number of residual blocks. */
    public int blocks() {
        return blockWeights.size();
    }

    /**
     * {@code y = σ(h_L)·W_out + b_out} for {@code x: [..., in]}.
     *
     * @throws ShapeException if the last axis of {@code x} is not {@code in} or its dtype is not the layer's
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != in || x.dtype() != dtype) {
            throw new ShapeException("residual_mlp(" + in + " -> " + out + ", " + dtype + "): input " + x.describe()
                    + " must be " + dtype + " and end in " + in);
        }
        Tensor h = x.matmul(inputWeight).add(inputBias);
        for (int k = 0; k < blockWeights.size(); k++) {
            h = h.add(activation.apply(h).matmul(blockWeights.get(k)).add(blockBiases.get(k)));
        }
        return activation.apply(h).matmul(outputWeight).add(outputBias);
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    @Override
    public String toString() {
        return "ResidualMlp(" + in + " -> " + hidden + " x " + blocks() + " blocks -> " + out + ", "
                + activation.configName() + ", " + dtype + ")";
    }
}
