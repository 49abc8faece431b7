package dev.nabla.api.backend;

/**
 * The elementwise unary kernels a backend implements, {@code out[i] = f(x[i])}.
 *
 * <p>Unless a constant says otherwise it applies to floating dtypes only ({@code float32},
 * {@code float64}); the tensor layer rejects other dtypes before calling the kernel. Float32 results
 * must be within a few ulps of the float64 result rounded to float32.
 */
public enum UnaryOp {
    /** {@code -x}; all numeric dtypes (int32, int64 too). */
    NEG,
    /** {@code |x|}; all numeric dtypes. */
    ABS,
    /** {@code -1, 0, 1} by the sign of x ({@code 0} for ±0, NaN stays NaN); all numeric dtypes. */
    SIGN,
    /** {@code e^x}. */
    EXP,
    /** {@code e^x - 1}, accurate near 0. */
    EXPM1,
    /** Natural logarithm. */
    LOG,
    /** {@code log(1 + x)}, accurate near 0. */
    LOG1P,
    /** Square root. */
    SQRT,
    /** Sine. */
    SIN,
    /** Cosine. */
    COS,
    /** Hyperbolic tangent. */
    TANH,
    /** Logistic sigmoid {@code 1 / (1 + e^-x)}, computed without overflow for large |x|. */
    SIGMOID,
    /** {@code max(x, 0)}; all numeric dtypes. */
    RELU,
    /** The error function {@code erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt}, to at least 1e-12 relative in float64. */
    ERF,
    /** Round toward negative infinity. */
    FLOOR,
    /** {@code NOT x}; bool only. */
    LOGICAL_NOT
}
