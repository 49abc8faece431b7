package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.opentest4j.AssertionFailedError;

/** Central finite differences against autodiff, in float64, for a scalar function of several tensors. */
final class GradCheck {
    private GradCheck() {
    }

    /** A float64 input: its values and shape. */
    record Input(double[] values, int... shape) {
    }

    /**
     * Checks {@code ∂loss/∂input_i} for every element of every input: autodiff against
     * {@code (loss(x + ε) - loss(x - ε)) / 2ε}, to {@code 1e-6 + 1e-5·|numeric|}.
     */
    static void check(TensorFactory f, List<Input> inputs, Function<List<Tensor>, Tensor> loss) {
        List<Tensor> leaves = new ArrayList<>();
        for (Input in : inputs) {
            leaves.add(f.of(in.values().clone(), in.shape()).requiresGrad(true));
        }
        List<Tensor> grads = Autograd.grad(loss.apply(leaves), leaves);
        double eps = 1e-6;
        for (int i = 0; i < inputs.size(); i++) {
            double[] analytic = grads.get(i).toDoubleArray();
            assertEquals(inputs.get(i).values().length, analytic.length);
            for (int j = 0; j < analytic.length; j++) {
                double numeric = (perturbed(f, inputs, loss, i, j, eps) - perturbed(f, inputs, loss, i, j, -eps)) / (2 * eps);
                if (!(Math.abs(analytic[j] - numeric) <= 1e-6 + 1e-5 * Math.abs(numeric))) {
                    throw new AssertionFailedError("gradient of input " + i + " at flat index " + j + ": autograd "
                            + analytic[j] + ", finite differences " + numeric, numeric, analytic[j]);
                }
            }
        }
    }

    private static double perturbed(TensorFactory f, List<Input> inputs, Function<List<Tensor>, Tensor> loss, int i,
                                    int j, double delta) {
        try (GradMode ignored = Autograd.noGrad()) {
            return Scope.call(() -> {
                List<Tensor> ts = new ArrayList<>();
                for (int k = 0; k < inputs.size(); k++) {
                    double[] v = inputs.get(k).values().clone();
                    if (k == i) {
                        v[j] += delta;
                    }
                    ts.add(f.of(v, inputs.get(k).shape()));
                }
                return loss.apply(ts).item();
            });
        }
    }
}
