package dev.nabla.models.nn;

import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The vanilla (Elman) recurrent cell, PyTorch's {@code nn.RNNCell}:
 * <pre>
 *   h' = act(x · W_ihᵀ + b_ih + h · W_hhᵀ + b_hh),   act = tanh or relu
 * </pre>
 * with PyTorch's parameter names and layouts — {@code weight_ih [hidden, input]},
 * {@code weight_hh [hidden, hidden]}, {@code bias_ih [hidden]}, {@code bias_hh [hidden]} — and its
 * initialisation, every parameter uniform in {@code ±1/sqrt(hidden)}; so a PyTorch state dict loads by
 * name. The state is {@code h [batch, hidden]}, which is also the output.
 */
public final class RNNCell extends Block implements RecurrentCell<Tensor> {
    /** The nonlinearity applied to the pre-activation. */
    public enum Nonlinearity {
        /** {@code tanh}, the default. */
        TANH,
        /** {@code max(0, ·)}. */
        RELU;

        /**
         * The nonlinearity named {@code "tanh"} or {@code "relu"} (any case).
         *
         * @param name the name
         * @return the nonlinearity
         * @throws IllegalArgumentException for another name
         */
        public static Nonlinearity parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "tanh" -> TANH;
                case "relu" -> RELU;
                default -> throw new IllegalArgumentException("RNNCell: nonlinearity must be 'tanh' or 'relu', got '"
                        + name + "'");
            };
        }
    }

    private final int inputSize;
    private final int hiddenSize;
    private final Nonlinearity nonlinearity;
    private final Tensor weightIh;
    private final Tensor weightHh;
    private final Tensor biasIh;
    private final Tensor biasHh;

    /**
     * A cell initialised like PyTorch's: every parameter uniform in {@code ±1/sqrt(hiddenSize)}.
     *
     * @param f            where the parameters live
     * @param random       the generator to draw them from
     * @param inputSize    size of the input's last axis
     * @param hiddenSize   size of {@code h}
     * @param nonlinearity tanh or relu
     * @param bias         whether to have {@code bias_ih} and {@code bias_hh}
     * @param dtype        float32 or float64
     */
    public RNNCell(TensorFactory f, Generator random, int inputSize, int hiddenSize, Nonlinearity nonlinearity,
                   boolean bias, DType dtype) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("RNNCell: input and hidden sizes must be positive, got " + inputSize
                    + " and " + hiddenSize);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("RNNCell: dtype must be float32 or float64, got " + dtype);
        }
        double a = 1.0 / Math.sqrt(hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
        this.weightIh = parameter("weight_ih", f.uniform(random, -a, a, Shape.of(hiddenSize, inputSize), dtype));
        this.weightHh = parameter("weight_hh", f.uniform(random, -a, a, Shape.of(hiddenSize, hiddenSize), dtype));
        this.biasIh = bias ? parameter("bias_ih", f.uniform(random, -a, a, Shape.of(hiddenSize), dtype)) : null;
        this.biasHh = bias ? parameter("bias_hh", f.uniform(random, -a, a, Shape.of(hiddenSize), dtype)) : null;
    }

    /**
     * A float32 tanh cell with biases, initialised like PyTorch's.
     *
     * @param f          where the parameters live
     * @param random     the generator to draw them from
     * @param inputSize  size of the input's last axis
     * @param hiddenSize size of {@code h}
     */
    public RNNCell(TensorFactory f, Generator random, int inputSize, int hiddenSize) {
        this(f, random, inputSize, hiddenSize, Nonlinearity.TANH, true, DType.FLOAT32);
    }

    /**
     * A cell with explicit initial values (copied), e.g. from a PyTorch state dict.
     *
     * @param weightIh     {@code [hidden, input]}
     * @param weightHh     {@code [hidden, hidden]}
     * @param biasIh       {@code [hidden]}, or null for a cell without biases (then {@code biasHh} is null too)
     * @param biasHh       {@code [hidden]}, or null
     * @param nonlinearity tanh or relu
     */
    public RNNCell(Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh, Nonlinearity nonlinearity) {
        if (weightIh.rank() != 2 || !weightHh.shape().equals(Shape.of(weightIh.dim(0), weightIh.dim(0)))
                || (biasIh == null) != (biasHh == null)
                || biasIh != null && (!biasIh.shape().equals(Shape.of(weightIh.dim(0)))
                        || !biasHh.shape().equals(Shape.of(weightIh.dim(0))))) {
            throw new ShapeException("RNNCell: weight_ih must be [hidden, input], weight_hh [hidden, hidden] and both"
                    + " biases [hidden] (or both absent), got " + weightIh.shape() + ", " + weightHh.shape() + ", "
                    + (biasIh == null ? "none" : biasIh.shape()) + ", " + (biasHh == null ? "none" : biasHh.shape()));
        }
        for (Tensor t : new Tensor[] {weightHh, biasIh, biasHh}) {
            if (t != null && t.dtype() != weightIh.dtype()) {
                throw new DTypeException("RNNCell: parameters must share one dtype, got " + weightIh.dtype() + " and "
                        + t.dtype());
            }
        }
        this.inputSize = weightIh.dim(1);
        this.hiddenSize = weightIh.dim(0);
        this.nonlinearity = Objects.requireNonNull(nonlinearity, "nonlinearity");
        this.weightIh = parameter("weight_ih", weightIh);
        this.weightHh = parameter("weight_hh", weightHh);
        this.biasIh = biasIh == null ? null : parameter("bias_ih", biasIh);
        this.biasHh = biasHh == null ? null : parameter("bias_hh", biasHh);
    }

    @Override
    public Tensor step(Tensor input, Tensor h) {
        String op = "RNNCell.step";
        Objects.requireNonNull(input, op + ": input");
        Objects.requireNonNull(h, op + ": state");
        if (input.rank() != 2 || input.dim(1) != inputSize) {
            throw new ShapeException(op + ": input must be [batch, " + inputSize + "], got " + input.shape());
        }
        Shape expected = Shape.of(input.dim(0), hiddenSize);
        if (!h.shape().equals(expected)) {
            throw new ShapeException(op + ": state h must be " + expected + " for input " + input.shape()
                    + ", got " + h.shape());
        }
        DType d = weightIh.dtype();
        if (input.dtype() != d || h.dtype() != d) {
            throw new DTypeException(op + ": input " + input.describe() + " and state " + h.describe()
                    + " must have the parameters' dtype " + d);
        }
        Tensor pre = input.linear(weightIh, biasIh).add(h.linear(weightHh, biasHh));
        return nonlinearity == Nonlinearity.TANH ? pre.tanh() : pre.relu();
    }

    @Override
    public Tensor initialState(int batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("RNNCell.initialState: batch must be >= 0, got " + batch);
        }
        return weightIh.factory().zeros(weightIh.dtype(), batch, hiddenSize);
    }

    @Override
    public Tensor output(Tensor state) {
        return state;
    }

    @Override
    public List<Tensor> stateTensors(Tensor state) {
        return List.of(state);
    }

    @Override
    public Tensor stateOf(List<Tensor> tensors) {
        if (tensors.size() != 1) {
            throw new IllegalArgumentException("RNNCell.stateOf: the state is one tensor h, got " + tensors.size());
        }
        return tensors.getFirst();
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int hiddenSize() {
        return hiddenSize;
    }

    /** The nonlinearity. */
    public Nonlinearity nonlinearity() {
        return nonlinearity;
    }

    @Override
    public String toString() {
        return "RNNCell(" + inputSize + ", " + hiddenSize + ", " + nonlinearity.name().toLowerCase(Locale.ROOT)
                + (biasIh == null ? ", bias=false" : "") + ")";
    }
}
