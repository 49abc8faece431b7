package org.example.nabla.plugin;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sinh-arcsinh transformation (Jones &amp; Pewsey, 2009), the {@code sinh_arcsinh} flow: an elementwise
 * bijection of {@code R^dim} with a learnable skew {@code ε_i} and tail weight {@code δ_i = e^{log δ_i} > 0} per
 * dimension. With {@code y = δ·asinh(x) − ε}:
 *
 * <pre>
 *   forward  (x → z):  z = sinh(δ·asinh(x) − ε)
 *                      log|det ∂z/∂x| = Σ_i [ log δ_i + log cosh(y_i) − ½·log(1 + x_i²) ]
 *   inverse  (z → x):  x = sinh((asinh(z) + ε) / δ)
 *                      log|det ∂x/∂z| = Σ_i [ −log δ_i + log cosh(y_i) − ½·log(1 + z_i²) ],  y = (asinh(z) + ε)/δ
 * </pre>
 *
 * (the {@link Flow} direction contract: forward maps data to noise). {@code δ < 1} in the forward direction
 * shrinks heavy tails towards the Gaussian base and {@code ε} removes skew, so a stack of these over a
 * standard normal models skewed, heavy- or light-tailed marginals. Being elementwise, it does not mix
 * dimensions; between blocks, {@code nabla train} puts a {@code reverse}.
 *
 * <p>Parameters {@code epsilon} and {@code log_delta}, both {@code [dim]}, start at 0: the flow starts as
 * the identity.
 *
 * <p><b>Numerics.</b> The api has no {@code asinh}; it is computed as
 * {@code asinh(x) = s·log1p(a + a²/(1 + √(1 + a²)))} with {@code a = s·x = |x|} and {@code s = ±1} the sign of
 * {@code x} (taken as a constant, so the derivative {@code 1/√(1+x²)} is exact at 0 too) — the textbook
 * {@code log(x + √(x²+1))} loses every digit for large negative {@code x} — and
 * {@code sinh(y) = (expm1(y) − expm1(−y))/2}, {@code log cosh(y) = y + softplus(−2y) − log 2}, which are
 * accurate near 0 and do not overflow before {@code cosh} itself does.
 */
public final class SinhArcsinh implements Flow {
    private static final double LOG_2 = Math.log(2.0);

    private final int dim;
    private final DType dtype;
    private final Tensor epsilon;
    private final Tensor logDelta;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();

    /**
     * The identity-initialised transformation of {@code R^dim}.
     *
     * @throws IllegalArgumentException for {@code dim < 1} or an integer dtype
     */
    public SinhArcsinh(TensorFactory f, int dim, DType dtype) {
        if (dim < 1) {
            throw new IllegalArgumentException("sinh_arcsinh: dim must be positive, got " + dim);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("sinh_arcsinh: dtype must be float32 or float64, got " + dtype);
        }
        this.dim = dim;
        this.dtype = dtype;
        try (Scope ignored = Scope.open()) {
            epsilon = f.zeros(Shape.of(dim), dtype).toParameter();
            logDelta = f.zeros(Shape.of(dim), dtype).toParameter();
        }
        parameters.put("epsilon", epsilon);
        parameters.put("log_delta", logDelta);
    }

    /** The dimension. */
    public int dim() {
        return dim;
    }

    /** The skew parameter {@code ε}, {@code [dim]}. */
    public Tensor epsilon() {
        return epsilon;
    }

    /** The log tail weight {@code log δ}, {@code [dim]}. */
    public Tensor logDelta() {
        return logDelta;
    }

    @Override
    public FlowResult forward(Tensor x) {
        check("forward", x);
        Tensor y = asinh(x).mul(logDelta.exp()).sub(epsilon);
        Tensor logDet = logDelta.add(logCosh(y)).sub(x.square().log1p().mul(0.5)).sum(1, false);
        return new FlowResult(sinh(y), logDet);
    }

    @Override
    public FlowResult inverse(Tensor z) {
        check("inverse", z);
        Tensor y = asinh(z).add(epsilon).mul(logDelta.neg().exp());
        Tensor logDet = logCosh(y).sub(logDelta).sub(z.square().log1p().mul(0.5)).sum(1, false);
        return new FlowResult(sinh(y), logDet);
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(parameters);
    }

    private void check(String op, Tensor t) {
        if (t.rank() != 2 || t.dim(1) != dim || t.dtype() != dtype) {
            throw new ShapeException("sinh_arcsinh." + op + ": input " + t.describe() + " must be [batch, " + dim
                    + "] " + dtype);
        }
    }

    /** {@code asinh(x)}, accurate for every sign and magnitude up to {@code √max}; see the class comment. */
    static Tensor asinh(Tensor x) {
        Tensor s;
        try (GradMode ignored = Autograd.noGrad()) {
            s = x.lt(0.0).to(x.dtype()).mul(-2.0).add(1.0);   // −1 where x < 0, else 1
        }
        Tensor a = x.mul(s);
        Tensor a2 = a.square();
        return a.add(a2.div(a2.add(1.0).sqrt().add(1.0))).log1p().mul(s);
    }

    /** {@code sinh(y) = (e^y − e^{−y})/2}, through expm1 so small {@code y} keep their digits. */
    static Tensor sinh(Tensor y) {
        return y.expm1().sub(y.neg().expm1()).mul(0.5);
    }

    /** {@code log cosh(y) = y + log(1 + e^{−2y}) − log 2}, stable for either sign. */
    static Tensor logCosh(Tensor y) {
        return y.add(y.mul(-2.0).softplus()).sub(LOG_2);
    }

    @Override
    public String toString() {
        return "SinhArcsinh(" + dim + ", " + dtype + ")";
    }
}
