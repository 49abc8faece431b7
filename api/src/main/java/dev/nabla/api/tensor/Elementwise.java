package dev.nabla.api.tensor;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.LeakyReluKernel;
import dev.nabla.api.backend.ReluGradKernel;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.Optional;

/**
 * Elementwise operations and their gradients. Activations that are not kernels are composed here
 * (leaky ReLU, ELU, GELU, softplus); each composed activation records one node with its closed-form
 * derivative rather than the graph of its parts.
 */
final class Elementwise {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Elementwise() {
    }

    // ------------------------------------------------------------------ unary

    /** Runs a unary kernel into a new tensor, without recording. */
    static Tensor unaryRaw(String op, UnaryOp kop, Tensor x) {
        Tensor out = Ops.alloc(x.backend(), x.dtype(), x.shape());
        Ops.k(x).unary(kop, x.storage(op), out.storage());
        return out;
    }

    static Tensor unary(String op, UnaryOp kop, Tensor x) {
        x.checkLive(op);
        switch (kop) {
            case NEG, ABS, SIGN, RELU -> Ops.requireNumeric(op, x);
            case LOGICAL_NOT -> Ops.requireBool(op, x);
            default -> Ops.requireFloat(op, x);
        }
        if (kop == UnaryOp.RELU && x.dtype().isFloatingPoint()) {
            Optional<ReluGradKernel> fused = x.backend().fused(ReluGradKernel.class);
            if (fused.isPresent()) {
                return reluFused(x, fused.get());
            }
        }
        Tensor y = unaryRaw(op, kop, x);
        return Ops.record(y, op, g -> new Tensor[] {unaryGrad(kop, x, y, g)}, x);
    }

    /**
     * The rectifier whose backward runs the backend's {@link ReluGradKernel} (or, when the backward pass is
     * itself recorded, the composed {@code where(x > 0, g, 0)}, so it can be differentiated again).
     */
    static Tensor reluFused(Tensor x, ReluGradKernel kernel) {
        String op = "relu";
        Tensor y = unaryRaw(op, UnaryOp.RELU, x);
        return Ops.record(y, op, g -> {
            if (GradMode.isEnabled() || !g.shape().equals(x.shape())) {
                return new Tensor[] {unaryGrad(UnaryOp.RELU, x, y, g)};
            }
            Tensor gi = Ops.alloc(x.backend(), x.dtype(), x.shape());
            kernel.reluGrad(x.storage("relu backward"), g.storage("relu backward"), gi.storage());
            return new Tensor[] {gi};
        }, x);
    }

    /** The rectifier with the composed backward {@code where(x > 0, g, 0)}: what runs without the fused kernel. */
    static Tensor reluComposed(Tensor x) {
        Tensor y = unaryRaw("relu", UnaryOp.RELU, x);
        return Ops.record(y, "relu", g -> new Tensor[] {unaryGrad(UnaryOp.RELU, x, y, g)}, x);
    }

    private static Tensor unaryGrad(UnaryOp kop, Tensor x, Tensor y, Tensor g) {
        return switch (kop) {
            case NEG -> g.neg();
            case ABS -> g.mul(x.sign());
            case SIGN, FLOOR, LOGICAL_NOT -> null;
            case EXP -> g.mul(y);
            case EXPM1 -> g.mul(y.add(1.0));
            case LOG -> g.div(x);
            case LOG1P -> g.div(x.add(1.0));
            case SQRT -> g.div(y.mul(2.0));
            case SIN -> g.mul(x.cos());
            case COS -> g.mul(x.sin()).neg();
            case TANH -> g.mul(y.square().neg().add(1.0));
            case SIGMOID -> g.mul(y.mul(y.neg().add(1.0)));
            case RELU -> Tensor.where(x.gt(0.0), g, Ops.scalarLike(g, 0.0));
            case ERF -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI));
        };
    }

    static Tensor square(Tensor x) {
        Ops.requireNumeric("square", x);
        Tensor y = binaryRaw("square", BinaryOp.MUL, x, x);
        return Ops.record(y, "square", g -> new Tensor[] {g.mul(x).mul(2.0)}, x);
    }

    static Tensor reciprocal(Tensor x) {
        Ops.requireFloat("reciprocal", x);
        Tensor y = binaryRaw("reciprocal", BinaryOp.DIV, Ops.scalarLike(x, 1.0), x);
        return Ops.record(y, "reciprocal", g -> new Tensor[] {g.mul(y.square()).neg()}, x);
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        x.checkLive("leakyRelu");
        Ops.requireFloat("leakyRelu", x);
        Optional<LeakyReluKernel> fused = x.backend().fused(LeakyReluKernel.class);
        return fused.isPresent() ? leakyReluFused(x, slope, fused.get()) : leakyReluComposed(x, slope);
    }

    /**
     * The leaky rectifier on the backend's {@link LeakyReluKernel}, one pass forward and one backward (or, when the
     * backward pass is itself recorded, the composed {@code where(x > 0, g, slope·g)}, so it can be differentiated
     * again).
     */
    static Tensor leakyReluFused(Tensor x, double slope, LeakyReluKernel kernel) {
        String op = "leakyRelu";
        Tensor y = Ops.alloc(x.backend(), x.dtype(), x.shape());
        kernel.leakyRelu(x.storage(op), slope, y.storage());
        return Ops.record(y, op, g -> {
            if (GradMode.isEnabled() || !g.shape().equals(x.shape())) {
                return new Tensor[] {Tensor.where(x.gt(0.0), g, g.mul(slope))};
            }
            String bop = "leakyRelu backward";
            Tensor gi = Ops.alloc(x.backend(), x.dtype(), x.shape());
            kernel.leakyReluGrad(x.storage(bop), g.storage(bop), slope, gi.storage());
            return new Tensor[] {gi};
        }, x);
    }

    /** The leaky rectifier composed: {@code where(x > 0, x, slope·x)}, what runs without the fused kernel. */
    static Tensor leakyReluComposed(Tensor x, double slope) {
        Tensor y;
        Tensor positive;
        try (GradMode ignored = Autograd.noGrad()) {
            positive = x.gt(0.0);
            y = Tensor.where(positive, x, x.mul(slope));
        }
        return Ops.record(y, "leakyRelu", g -> new Tensor[] {Tensor.where(positive, g, g.mul(slope))}, x);
    }

    static Tensor elu(Tensor x, double alpha) {
        x.checkLive("elu");
        Ops.requireFloat("elu", x);
        Tensor y;
        Tensor positive;
        try (GradMode ignored = Autograd.noGrad()) {
            positive = x.gt(0.0);
            // expm1 of min(x, 0): the unused branch never overflows
            y = Tensor.where(positive, x, x.minimum(0.0).expm1().mul(alpha));
        }
        // d/dx alpha (e^x - 1) = y + alpha on the negative side
        return Ops.record(y, "elu", g -> new Tensor[] {Tensor.where(positive, g, g.mul(y.add(alpha)))}, x);
    }

    static Tensor gelu(Tensor x) {
        x.checkLive("gelu");
        Ops.requireFloat("gelu", x);
        Tensor y;
        try (GradMode ignored = Autograd.noGrad()) {
            y = x.mul(INV_SQRT_2).erf().add(1.0).mul(x).mul(0.5);
        }
        // d/dx x·Φ(x) = Φ(x) + x·φ(x)
        return Ops.record(y, "gelu", g -> {
            Tensor cdf = x.mul(INV_SQRT_2).erf().add(1.0).mul(0.5);
            Tensor pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
            return new Tensor[] {g.mul(cdf.add(x.mul(pdf)))};
        }, x);
    }

    static Tensor softplus(Tensor x) {
        x.checkLive("softplus");
        Ops.requireFloat("softplus", x);
        Tensor y;
        try (GradMode ignored = Autograd.noGrad()) {
            y = x.relu().add(x.abs().neg().exp().log1p());
        }
        return Ops.record(y, "softplus", g -> new Tensor[] {g.mul(x.sigmoid())}, x);
    }

    static Tensor cast(Tensor x, DType target) {
        x.checkLive("to");
        Tensor y = Ops.alloc(x.backend(), target, x.shape());
        Ops.k(x).cast(x.storage(), y.storage());
        if (x.dtype().isFloatingPoint() && target.isFloatingPoint()) {
            DType source = x.dtype();
            return Ops.record(y, "to", g -> new Tensor[] {g.to(source)}, x);
        }
        return y;
    }

    // ------------------------------------------------------------------ binary

    /** Runs a broadcasting binary kernel into a new tensor, without recording. */
    static Tensor binaryRaw(String op, BinaryOp kop, Tensor a, Tensor b) {
        a.checkLive(op);
        b.checkLive(op);
        Ops.sameBackend(op, a, b);
        Ops.sameDType(op, a, b);
        if (kop.isLogical()) {
            Ops.requireBool(op, a);
        } else if (!kop.isComparison()) {
            Ops.requireNumeric(op, a);
        }
        Shape out = Shape.broadcast(op, a.shape(), b.shape());
        int r = out.rank();
        Tensor y = Ops.alloc(a.backend(), kop.isComparison() ? DType.BOOL : a.dtype(), out);
        Ops.k(a).binary(kop, a.storage(), a.shape().padLeft(r), b.storage(), b.shape().padLeft(r),
                y.storage(), out);
        return y;
    }

    static Tensor binary(String op, BinaryOp kop, Tensor a, Tensor b) {
        Tensor y = binaryRaw(op, kop, a, b);
        return switch (kop) {
            case ADD -> Ops.record(y, op, g -> new Tensor[] {g, g}, a, b);
            case SUB -> Ops.record(y, op, g -> new Tensor[] {g, g.neg()}, a, b);
            case MUL -> Ops.record(y, op, g -> new Tensor[] {
                    a.requiresGrad() ? g.mul(b) : null,
                    b.requiresGrad() ? g.mul(a) : null}, a, b);
            case DIV -> Ops.record(y, op, g -> new Tensor[] {
                    a.requiresGrad() ? g.div(b) : null,
                    b.requiresGrad() ? g.mul(y).div(b).neg() : null}, a, b);
            case POW -> Ops.record(y, op, g -> new Tensor[] {
                    a.requiresGrad() ? g.mul(b).mul(a.pow(b.sub(1.0))) : null,
                    // d/db a^b = a^b log a; defined as 0 where a <= 0 (as PyTorch does at a = 0)
                    b.requiresGrad() ? g.mul(y).mul(Tensor.where(a.gt(0.0), a.log(), Ops.scalarLike(a, 0.0))) : null},
                    a, b);
            case MAX, MIN -> Ops.record(y, op, g -> {
                Tensor aWins = kop == BinaryOp.MAX ? a.gt(b) : a.lt(b);
                Tensor tie = a.eq(b);
                Tensor zero = Ops.scalarLike(g, 0.0);
                Tensor half = g.mul(0.5);
                Tensor ga = Tensor.where(aWins, g, Tensor.where(tie, half, zero));
                Tensor gb = Tensor.where(aWins, zero, Tensor.where(tie, half, g));
                return new Tensor[] {ga, gb};
            }, a, b);
            default -> y; // comparisons and logical ops: bool results, no gradient
        };
    }

    static Tensor powScalar(Tensor x, double p) {
        Ops.requireNumeric("pow", x);
        Tensor y = binaryRaw("pow", BinaryOp.POW, x, Ops.scalarLike(x, p));
        return Ops.record(y, "pow", g -> new Tensor[] {g.mul(x.pow(p - 1.0)).mul(p)}, x);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return where("where", cond, a, b);
    }

    /** {@code where}, reporting errors and recording the node under {@code op} (the user's call). */
    private static Tensor where(String op, Tensor cond, Tensor a, Tensor b) {
        cond.checkLive(op);
        a.checkLive(op);
        b.checkLive(op);
        Ops.requireBool(op, cond);
        Ops.sameBackend(op, cond, a);
        Ops.sameBackend(op, a, b);
        Ops.sameDType(op, a, b);
        Shape out = Shape.broadcast(op, Shape.broadcast(op, cond.shape(), a.shape()), b.shape());
        int r = out.rank();
        Tensor y = Ops.alloc(a.backend(), a.dtype(), out);
        Ops.k(a).where(cond.storage(), cond.shape().padLeft(r), a.storage(), a.shape().padLeft(r),
                b.storage(), b.shape().padLeft(r), y.storage(), out);
        return Ops.record(y, op, g -> {
            Tensor zero = Ops.scalarLike(g, 0.0);
            return new Tensor[] {null,
                a.requiresGrad() ? Tensor.where(cond, g, zero) : null,
                b.requiresGrad() ? Tensor.where(cond, zero, g) : null};
        }, cond, a, b);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        String op = "maskedFill";
        x.checkLive(op);
        mask.checkLive(op);
        if (mask.dtype() != DType.BOOL) {
            throw new dev.nabla.api.types.DTypeException(op + ": the mask must be a bool tensor, got "
                    + mask.describe() + " (for a tensor " + x.describe() + "); make one with a comparison such"
                    + " as eq(0.0), or with to(DType.BOOL)");
        }
        Ops.sameBackend(op, x, mask);
        if (!mask.shape().broadcastableTo(x.shape())) {
            throw new dev.nabla.api.types.ShapeException(op + ": mask of shape " + mask.shape()
                    + " cannot be broadcast to the tensor's shape " + x.shape());
        }
        return where(op, mask, Ops.scalarLike(x, value), x);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        x.checkLive("clamp");
        Ops.requireNumeric("clamp", x);
        if (min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        Tensor y;
        try (GradMode ignored = Autograd.noGrad()) {
            y = x.maximum(min).minimum(max);
        }
        return Ops.record(y, "clamp", g -> new Tensor[] {
            Tensor.where(x.ge(min).logicalAnd(x.le(max)), g, Ops.scalarLike(g, 0.0))}, x);
    }
}
