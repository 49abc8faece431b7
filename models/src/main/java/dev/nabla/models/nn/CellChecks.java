package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

import java.util.Objects;

/** The argument checks and the initialisation the recurrent cells and layers share. */
final class CellChecks {
    private CellChecks() {
    }

    /** Rejects non-positive sizes and non-floating dtypes, naming {@code op}. */
    static void sizes(String op, int inputSize, int hiddenSize, DType dtype) {
        if (inputSize < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException(op + ": input and hidden sizes must be positive, got " + inputSize
                    + " and " + hiddenSize);
        }
        Objects.requireNonNull(dtype, op + ": dtype");
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": dtype must be float32 or float64, got " + dtype);
        }
    }

    /** PyTorch's initialisation of every recurrent parameter: uniform in {@code ±1/sqrt(hidden)}. */
    static Tensor uniform(TensorFactory f, Generator random, int hiddenSize, DType dtype, int... dims) {
        double a = 1.0 / Math.sqrt(hiddenSize);
        return f.uniform(random, -a, a, Shape.of(dims), dtype);
    }

    /**
     * Checks explicit cell parameters: {@code weight_ih [gates·hidden, input]}, {@code weight_hh
     * [gates·hidden, hidden]}, both biases {@code [gates·hidden]} or both null, one floating dtype.
     *
     * @return the hidden size
     */
    static int parameters(String op, int gates, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh) {
        Objects.requireNonNull(weightIh, op + ": weight_ih");
        Objects.requireNonNull(weightHh, op + ": weight_hh");
        int rows = weightIh.rank() == 2 ? weightIh.dim(0) : -1;
        int hidden = rows > 0 && rows % gates == 0 ? rows / gates : -1;
        String g = gates == 1 ? "" : gates + "·";
        if (hidden < 1 || !weightHh.shape().equals(Shape.of(rows, hidden))
                || (biasIh == null) != (biasHh == null)
                || biasIh != null && (!biasIh.shape().equals(Shape.of(rows)) || !biasHh.shape().equals(Shape.of(rows)))) {
            throw new ShapeException(op + ": weight_ih must be [" + g + "hidden, input], weight_hh [" + g
                    + "hidden, hidden] and both biases [" + g + "hidden] (or both absent), got " + weightIh.shape()
                    + ", " + weightHh.shape() + ", " + (biasIh == null ? "none" : biasIh.shape()) + ", "
                    + (biasHh == null ? "none" : biasHh.shape()));
        }
        if (!weightIh.dtype().isFloatingPoint()) {
            throw new DTypeException(op + ": parameters must be float32 or float64, got " + weightIh.dtype());
        }
        for (Tensor t : new Tensor[] {weightHh, biasIh, biasHh}) {
            if (t != null && t.dtype() != weightIh.dtype()) {
                throw new DTypeException(op + ": parameters must share one dtype, got " + weightIh.dtype() + " and "
                        + t.dtype());
            }
        }
        return hidden;
    }

    /** Checks one step's input {@code [batch, inputSize]} in {@code dtype}. */
    static void input(String op, Tensor input, int inputSize, DType dtype) {
        Objects.requireNonNull(input, op + ": input");
        if (input.rank() != 2 || input.dim(1) != inputSize) {
            throw new ShapeException(op + ": input must be [batch, " + inputSize + "], got " + input.shape());
        }
        if (input.dtype() != dtype) {
            throw new DTypeException(op + ": input " + input.describe() + " must have the parameters' dtype " + dtype);
        }
    }

    /** Checks one state tensor {@code name} against {@code [batch, hidden]} of the input, in {@code dtype}. */
    static void state(String op, String name, Tensor t, int batch, int hiddenSize, DType dtype) {
        Objects.requireNonNull(t, op + ": state " + name);
        Shape expected = Shape.of(batch, hiddenSize);
        if (!t.shape().equals(expected)) {
            throw new ShapeException(op + ": state " + name + " must be " + expected + " for a batch of " + batch
                    + ", got " + t.shape());
        }
        if (t.dtype() != dtype) {
            throw new DTypeException(op + ": state " + name + " " + t.describe() + " must have the parameters' dtype "
                    + dtype);
        }
    }
}
