package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.DynamicNode;
import org.opentest4j.AssertionFailedError;

/**
 * Misuse gets a clear exception: of the documented type, with a message that names the op and the
 * offending shapes, dtypes or values. Each row is (op, case, expected type, the failing call, the
 * fragments its message must contain).
 */
final class ErrorChecks {
    private ErrorChecks() {
    }

    /** A call that must fail, given the factory. */
    @FunctionalInterface
    interface Call {
        Object run(TensorFactory f);
    }

    record Case(String op, String what, Class<? extends Throwable> type, Call call, String... fragments) {
    }

    private static Tensor f32(TensorFactory f, int... dims) {
        return f.ones(dims);
    }

    private static Tensor i64(TensorFactory f, long... v) {
        return f.of(v, v.length);
    }

    static List<Case> cases() {
        Function<TensorFactory, Tensor> released = f -> {
            Tensor t;
            try (Scope s = Scope.open()) {
                t = f.ones(2, 3);
            }
            return t;
        };
        return List.of(
            new Case("add", "shapes [2, 3] and [4, 3] do not broadcast", ShapeException.class,
                    f -> f32(f, 2, 3).add(f32(f, 4, 3)), "add", "[2, 3]", "[4, 3]"),
            new Case("mul", "shapes [3] and [4] do not broadcast", ShapeException.class,
                    f -> f32(f, 3).mul(f32(f, 4)), "mul", "[3]", "[4]"),
            new Case("where", "condition [3] against [2, 4]", ShapeException.class,
                    f -> Tensor.where(f.of(new boolean[3], 3), f32(f, 2, 4), f32(f, 2, 4)), "where", "[3]"),
            new Case("maskedFill", "mask [2, 3] larger than tensor [3]", ShapeException.class,
                    f -> f32(f, 3).maskedFill(f.of(new boolean[6], 2, 3), 0.0), "maskedFill", "[2, 3]", "[3]"),
            new Case("maskedFill", "a float32 mask names maskedFill, not where", DTypeException.class,
                    f -> f32(f, 2, 3).maskedFill(f32(f, 2, 3), 0.0), "maskedFill", "mask", "float32", "bool"),
            new Case("maskedFill", "an int64 mask", DTypeException.class,
                    f -> f32(f, 2).maskedFill(i64(f, 0, 1), 0.0), "maskedFill", "int64"),
            new Case("stack", "float32 and float64 names stack, not concat", DTypeException.class,
                    f -> Tensor.stack(List.of(f32(f, 2), f.zeros(DType.FLOAT64, 2)), 0), "stack", "float32", "float64"),
            new Case("t", "a rank-3 tensor", ShapeException.class,
                    f -> f32(f, 2, 3, 4).t(), "t:", "[2, 3, 4]", "mT()"),
            new Case("mT", "a vector", ShapeException.class,
                    f -> f32(f, 3).mT(), "mT", "[3]"),
            new Case("linear", "input [2, 3] and weight [4, 5]", ShapeException.class,
                    f -> f32(f, 2, 3).linear(f32(f, 4, 5), null), "linear", "[2, 3]", "[4, 5]"),
            new Case("linear", "a bias of the wrong size", ShapeException.class,
                    f -> f32(f, 2, 3).linear(f32(f, 4, 3), f32(f, 3)), "linear", "bias", "[3]", "[4]"),
            new Case("linear", "a weight of rank 1", ShapeException.class,
                    f -> f32(f, 2, 3).linear(f32(f, 3), null), "linear", "weight", "[3]"),
            new Case("linear", "float64 input, float32 weight", DTypeException.class,
                    f -> f.zeros(DType.FLOAT64, 2, 3).linear(f32(f, 4, 3), null), "linear", "float64", "float32"),
            new Case("variance", "an int64 tensor", DTypeException.class,
                    f -> i64(f, 1, 2).variance(0, false), "variance", "int64"),
            new Case("std", "an int64 tensor names std", DTypeException.class,
                    f -> i64(f, 1, 2).std(0, false), "std", "int64"),
            new Case("std", "axis 2 of a rank-2 tensor", ShapeException.class,
                    f -> f32(f, 2, 3).std(2, true), "std", "2", "[2, 3]"),
            new Case("leakyRelu", "a tensor whose scope closed names leakyRelu", ReleasedTensorException.class,
                    f -> released.apply(f).leakyRelu(0.1), "leakyRelu", "released"),
            new Case("clamp", "a tensor whose scope closed names clamp", ReleasedTensorException.class,
                    f -> released.apply(f).clamp(0, 1), "clamp", "released"),
            new Case("variance", "a tensor whose scope closed names variance", ReleasedTensorException.class,
                    f -> released.apply(f).variance(1, false), "variance", "released"),
            new Case("split", "a tensor whose scope closed names split", ReleasedTensorException.class,
                    f -> released.apply(f).split(1, 1, 2), "split", "released"),
            new Case("transpose", "a tensor whose scope closed names transpose", ReleasedTensorException.class,
                    f -> released.apply(f).transpose(0, 1), "transpose", "released"),
            new Case("zerosLike", "a tensor whose scope closed", ReleasedTensorException.class,
                    f -> Tensor.zerosLike(released.apply(f)), "zerosLike", "released"),
            new Case("conv1dCausal", "a weight of rank 1 names conv1dCausal", ShapeException.class,
                    f -> f32(f, 1, 1, 4).conv1dCausal(f32(f, 2), null, 1), "conv1dCausal", "weight", "[2]"),
            new Case("grad", "an input that does not require grad", NablaException.class,
                    f -> {
                        Tensor x = f.ones(DType.FLOAT64, 2).requiresGrad(true);
                        Tensor c = f.ones(DType.FLOAT64, 2);
                        return Autograd.grad(x.mul(c).sum(), List.of(x, c));
                    }, "grad", "input 1", "[2] float64", "does not require grad", "allowUnused"),
            new Case("grad", "an input the output does not depend on", NablaException.class,
                    f -> {
                        Tensor x = f.ones(DType.FLOAT64, 2).requiresGrad(true);
                        Tensor z = f.ones(DType.FLOAT64, 3).requiresGrad(true);
                        return Autograd.grad(x.sum(), List.of(z, x));
                    }, "grad", "input 0", "[3] float64", "not used", "allowUnused"),
            new Case("matmul", "[3, 4] @ [5, 2]", ShapeException.class,
                    f -> f32(f, 3, 4).matmul(f32(f, 5, 2)), "matmul", "[3, 4]", "[5, 2]", "inner dimension"),
            new Case("matmul", "[3] @ [4]", ShapeException.class,
                    f -> f32(f, 3).matmul(f32(f, 4)), "matmul", "[3]", "[4]", "inner dimension"),
            new Case("matmul", "[2, 3] @ [2]", ShapeException.class,
                    f -> f32(f, 2, 3).matmul(f32(f, 2)), "matmul", "[2, 3]", "[2]", "inner dimension"),
            new Case("matmul", "batch [2] vs [3]", ShapeException.class,
                    f -> f32(f, 2, 3, 4).matmul(f32(f, 3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]"),
            new Case("matmul", "scalar operand", ShapeException.class,
                    f -> f.scalar(2).matmul(f32(f, 2)), "matmul", "[]"),
            new Case("matmul", "int64 operands", DTypeException.class,
                    f -> i64(f, 1, 2).matmul(i64(f, 1, 2)), "matmul", "int64"),
            new Case("reshape", "[2, 3] to [4, 2]", ShapeException.class,
                    f -> f32(f, 2, 3).reshape(4, 2), "reshape", "[2, 3]", "[4, 2]"),
            new Case("reshape", "two inferred dimensions", ShapeException.class,
                    f -> f32(f, 2, 3).reshape(-1, -1), "reshape", "-1"),
            new Case("concat", "[2, 3] and [2, 4] on axis 0", ShapeException.class,
                    f -> Tensor.concat(List.of(f32(f, 2, 3), f32(f, 2, 4)), 0), "concat", "[2, 3]", "[2, 4]"),
            new Case("concat", "float32 and float64", DTypeException.class,
                    f -> Tensor.concat(List.of(f32(f, 2), f.zeros(Shape.of(2), DType.FLOAT64)), 0),
                    "concat", "float32", "float64"),
            new Case("stack", "[2, 3] and [3, 2]", ShapeException.class,
                    f -> Tensor.stack(List.of(f32(f, 2, 3), f32(f, 3, 2)), 0), "stack", "[2, 3]", "[3, 2]"),
            new Case("split", "sizes that do not add up", ShapeException.class,
                    f -> f32(f, 5, 3).split(0, 2, 2), "split", "[5, 3]"),
            new Case("broadcastTo", "[2, 3] to [3, 3]", ShapeException.class,
                    f -> f32(f, 2, 3).broadcastTo(3, 3), "broadcastTo", "[2, 3]", "[3, 3]"),
            new Case("squeeze", "an axis of size 3", ShapeException.class,
                    f -> f32(f, 2, 3).squeeze(1), "squeeze", "[2, 3]"),
            new Case("permute", "a repeated axis", ShapeException.class,
                    f -> f32(f, 2, 3).permute(0, 0), "permute", "repeated"),
            new Case("gather", "index 7 out of range for size 3", ShapeException.class,
                    f -> f32(f, 2, 3).gather(1, f.of(new long[] {0, 7, 1, 2}, 2, 2)), "gather", "7", "[2, 3]"),
            new Case("gather", "negative index", ShapeException.class,
                    f -> f32(f, 2, 3).gather(1, f.of(new long[] {-1, 0}, 2, 1)), "gather", "-1"),
            new Case("gather", "index of another rank", ShapeException.class,
                    f -> f32(f, 2, 3).gather(1, i64(f, 0, 1)), "gather", "[2]", "[2, 3]"),
            new Case("indexSelect", "index 5 out of range for size 4", ShapeException.class,
                    f -> f32(f, 4, 2).indexSelect(0, i64(f, 1, 5)), "indexSelect", "5", "[4, 2]"),
            new Case("indexSelect", "float index", DTypeException.class,
                    f -> f32(f, 4, 2).indexSelect(0, f32(f, 2)), "indexSelect", "float32"),
            new Case("scatterAdd", "src shape differs from index", ShapeException.class,
                    f -> f32(f, 3, 4).scatterAdd(1, f.of(new long[] {0, 1, 2}, 3, 1), f32(f, 3, 2)),
                    "scatterAdd", "[3, 2]", "[3, 1]"),
            new Case("indexAdd", "src of the wrong shape", ShapeException.class,
                    f -> f32(f, 5, 3).indexAdd(0, i64(f, 0, 1), f32(f, 3, 3)), "indexAdd", "[3, 3]"),
            new Case("oneHot", "class 5 of 5", ShapeException.class,
                    f -> i64(f, 0, 5).oneHot(5), "oneHot", "5"),
            new Case("select", "index 5 of size 3", ShapeException.class,
                    f -> f32(f, 3, 2).select(0, 5), "select", "5", "[3, 2]"),
            new Case("pad", "negative width", ShapeException.class,
                    f -> f32(f, 2).pad(new int[] {-1}, new int[] {0}, 0), "pad", "-1"),
            new Case("conv2d", "3 input channels, weight for 4", ShapeException.class,
                    f -> f32(f, 1, 3, 5, 5).conv2d(f32(f, 2, 4, 3, 3), null, new int[] {1, 1}, new int[] {0, 0},
                            new int[] {1, 1}), "conv2d", "[1, 3, 5, 5]", "[2, 4, 3, 3]"),
            new Case("conv1d", "kernel longer than the input", ShapeException.class,
                    f -> f32(f, 1, 1, 2).conv1d(f32(f, 1, 1, 5), null, 1, 0, 1), "conv1d", "[1, 1, 5]"),
            new Case("div", "int32 division by zero", ArithmeticException.class,
                    f -> f.of(new int[] {1, 2}, 2).div(f.of(new int[] {1, 0}, 2)).toIntArray()),
            new Case("add", "float32 + float64", DTypeException.class,
                    f -> f32(f, 2, 3).add(f.zeros(Shape.of(2, 3), DType.FLOAT64)), "add", "float32", "float64"),
            new Case("matmul", "float64 @ float32", DTypeException.class,
                    f -> f.zeros(Shape.of(2, 3), DType.FLOAT64).matmul(f32(f, 3, 2)), "matmul", "float64", "float32"),
            new Case("exp", "an int32 tensor", DTypeException.class,
                    f -> f.of(new int[] {1, 2}, 2).exp(), "exp", "int32"),
            new Case("mean", "an int64 tensor", DTypeException.class,
                    f -> i64(f, 1, 2).mean(), "mean", "int64"),
            new Case("softmax", "an int64 tensor", DTypeException.class,
                    f -> i64(f, 1, 2).softmax(0), "softmax", "int64"),
            new Case("logicalAnd", "float32 operands", DTypeException.class,
                    f -> f32(f, 2).logicalAnd(f32(f, 2)), "logicalAnd", "float32"),
            new Case("logicalNot", "a float32 tensor", DTypeException.class,
                    f -> f32(f, 2).logicalNot(), "logicalNot", "float32"),
            new Case("where", "a float32 condition", DTypeException.class,
                    f -> Tensor.where(f32(f, 2), f32(f, 2), f32(f, 2)), "where", "float32"),
            new Case("requiresGrad", "on an int64 tensor", DTypeException.class,
                    f -> i64(f, 1).requiresGrad(true), "requiresGrad", "int64"),
            new Case("sum", "axis 2 of a rank-2 tensor", ShapeException.class,
                    f -> f32(f, 2, 3).sum(2, false), "sum", "2", "[2, 3]"),
            new Case("sum", "a repeated axis", ShapeException.class,
                    f -> f32(f, 2, 3).sum(new int[] {0, -2}, false), "sum", "repeated"),
            new Case("softmax", "axis -3 of a rank-2 tensor", ShapeException.class,
                    f -> f32(f, 2, 3).softmax(-3), "softmax", "-3", "[2, 3]"),
            new Case("cumsum", "axis 1 of a vector", ShapeException.class,
                    f -> f32(f, 4).cumsum(1), "cumsum", "1", "[4]"),
            new Case("argmax", "axis 3 of a rank-2 tensor", ShapeException.class,
                    f -> f32(f, 2, 3).argmax(3, false), "argmax", "3", "[2, 3]"),
            new Case("max", "over an axis of size 0", ShapeException.class,
                    f -> f32(f, 0, 3).max(0, false), "max", "[0, 3]"),
            new Case("item", "a tensor of 2 elements", ShapeException.class,
                    f -> f32(f, 2).item(), "item", "[2]"),
            new Case("of", "4 values for shape [2, 3]", ShapeException.class,
                    f -> f.of(new float[4], 2, 3), "of", "[2, 3]", "4"),
            new Case("tensor", "a ragged array", ShapeException.class,
                    f -> f.tensor(new float[][] {{1, 2}, {3}}), "tensor", "ragged"),
            new Case("backward", "a non-scalar output", ShapeException.class,
                    f -> {
                        Tensor x = f32(f, 2, 3).requiresGrad(true);
                        x.mul(2.0).backward();
                        return null;
                    }, "backward", "[2, 3]"),
            new Case("backward", "an output that does not require grad", NablaException.class,
                    f -> {
                        f32(f, 2).sum().backward();
                        return null;
                    }, "backward", "require"),
            new Case("exp", "a tensor whose scope closed", ReleasedTensorException.class,
                    f -> released.apply(f).exp(), "exp", "[2, 3]", "released"),
            new Case("add", "a closed operand", ReleasedTensorException.class,
                    f -> {
                        Tensor a = f32(f, 2);
                        Tensor b = f32(f, 2);
                        b.close();
                        return a.add(b);
                    }, "add", "released"),
            new Case("matmul", "a tensor whose scope closed", ReleasedTensorException.class,
                    f -> f32(f, 2, 3).matmul(released.apply(f)), "matmul", "released"),
            new Case("reshape", "a tensor whose scope closed", ReleasedTensorException.class,
                    f -> released.apply(f).reshape(3, 2), "reshape", "released"),
            new Case("toArray", "a tensor whose scope closed", ReleasedTensorException.class,
                    f -> released.apply(f).toDoubleArray(), "released")
        );
    }

    static List<DynamicNode> all(TensorFactory f, Report report) {
        List<DynamicNode> out = new ArrayList<>();
        for (Case c : cases()) {
            out.add(report.check(c.op(), c.op() + ": " + c.what() + " -> " + c.type().getSimpleName(),
                    () -> expect(f, c)));
        }
        return out;
    }

    private static void expect(TensorFactory f, Case c) throws Throwable {
        Throwable thrown = null;
        try {
            c.call().run(f);
        } catch (Throwable t) {
            thrown = t;
        }
        if (thrown == null) {
            throw new AssertionFailedError(c.op() + ": " + c.what() + ": expected " + c.type().getSimpleName()
                    + ", but nothing was thrown");
        }
        if (Report.unsupportedCause(thrown) != null) {
            throw thrown; // reported as UNSUPPORTED, not as a wrong exception
        }
        if (!c.type().isInstance(thrown)) {
            throw new AssertionFailedError(c.op() + ": " + c.what() + ": expected " + c.type().getSimpleName()
                    + ", got " + thrown, thrown);
        }
        String message = String.valueOf(thrown.getMessage());
        for (String fragment : c.fragments()) {
            assertTrue(message.contains(fragment), c.op() + ": " + c.what() + ": the message should mention '"
                    + fragment + "' but is: " + message);
        }
    }
}
