package dev.nabla.models.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.checkpoint.TensorChecks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The training loop's per-step checks at the edges of their one-pass forms, on every backend: the gradient norm
 * of float32 gradients whose squares overflow float32 is still exact (recomputed in float64), and the finiteness
 * check of the optimizer's state tells a sum of finite values that overflows from a NaN or an infinity.
 */
class FiniteChecksTest {
    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void theGradientNormOfHugeFloat32GradientsIsExact(String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open()) {
            Tensor w = f.of(new double[] {1, 2, 3}, 3).to(DType.FLOAT32).requiresGrad(true);
            Tensor v = f.of(new double[] {1, 1}, 2).to(DType.FLOAT32).requiresGrad(true);
            // ∂/∂w = (3e20, 4e20, 0): float32 squares would overflow; ∂/∂v = (1, 2)
            w.mul(f.of(new double[] {3e20, 4e20, 0}, 3).to(DType.FLOAT32)).sum()
                    .add(v.mul(f.of(new double[] {1, 2}, 2).to(DType.FLOAT32)).sum()).backward();
            double expected = Math.sqrt(Math.pow((double) 3e20f, 2) + Math.pow((double) 4e20f, 2) + 5);
            assertEquals(expected, GradClip.globalNorm(List.of(w, v)), expected * 1e-12);
            w.zeroGrad();
            v.zeroGrad();
            v.mul(f.of(new double[] {3, 4}, 2).to(DType.FLOAT32)).sum().backward();
            assertEquals(5.0, GradClip.globalNorm(List.of(w, v)), 1e-6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"reference", "native"})
    void anOverflowingSumOfFiniteValuesIsNotANonFiniteState(String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open()) {
            Map<String, Tensor> state = new LinkedHashMap<>();
            state.put("a.exp_avg", f.of(new double[] {1, -2}, 2).to(DType.FLOAT32));
            state.put("b.exp_avg_sq", f.of(new double[] {3e38, 3e38, 3e38}, 3).to(DType.FLOAT32));
            state.put("c.exp_avg", f.of(new double[] {1.5e308, 1.5e308}, 2));
            assertNull(TensorChecks.firstNonFinite(state));
            state.put("d.exp_avg_sq", f.of(new double[] {0, Double.POSITIVE_INFINITY}, 2).to(DType.FLOAT32));
            state.put("e.exp_avg", f.of(new double[] {Double.NaN}, 1));
            assertEquals("d.exp_avg_sq", TensorChecks.firstNonFinite(state));
            state.remove("d.exp_avg_sq");
            assertEquals("e.exp_avg", TensorChecks.firstNonFinite(state));
        }
    }
}
