package dev.nabla.provider.reference;

import java.math.BigDecimal;
import java.math.MathContext;

/** Slow, high-precision references for the accuracy tests. */
final class HighPrecision {
    private static final MathContext MC = new MathContext(90);
    private static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798");
    private static final BigDecimal TWO_OVER_SQRT_PI = BigDecimal.valueOf(2).divide(PI.sqrt(MC), MC);

    private HighPrecision() {
    }

    /**
     * {@code erf(x)} from its Maclaurin series {@code 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1))}, summed in
     * 90 significant digits — enough to absorb the cancellation up to |x| of about 7.
     */
    static double erf(double x) {
        BigDecimal bx = new BigDecimal(x);
        BigDecimal x2 = bx.multiply(bx, MC);
        BigDecimal power = bx; // (-1)^n x^(2n+1) / n!
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal eps = bx.abs().multiply(new BigDecimal("1e-40"), MC);
        for (int n = 0; n < 2000; n++) {
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term, MC);
            if (n > x2.doubleValue() && term.abs().compareTo(eps) < 0) {
                break;
            }
            power = power.multiply(x2, MC).divide(BigDecimal.valueOf(-(n + 1L)), MC);
        }
        return sum.multiply(TWO_OVER_SQRT_PI, MC).doubleValue();
    }
}
