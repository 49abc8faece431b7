package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * An inverse autoregressive flow layer, IAF (Kingma et al., 2016), with a {@link MADE} conditioner
 * (child {@code made}) that reads the <i>noise</i>. In the order {@code π} of the MADE:
 *
 * <pre>
 *   inverse (sampling, ONE pass):  x_i = z_i · exp(α_i(z_&lt;i)) + μ_i(z_&lt;i),     log|det ∂x/∂z| = +Σ_i α_i(z_&lt;i)
 *   forward (density, D passes):   z_i = (x_i − μ_i(z_&lt;i)) · exp(−α_i(z_&lt;i)),   log|det ∂z/∂x| = −Σ_i α_i(z_&lt;i)
 * </pre>
 *
 * <p>Sampling, and the log-probability of the model's own samples, are cheap (one MADE evaluation),
 * which is what probability density distillation needs from a student (Parallel WaveNet); the
 * density of external data needs the noise that produced it, recovered one position at a time with
 * {@code D} MADE passes. The Jacobian {@code ∂x/∂z} is triangular in the order {@code π}.
 * {@link MaskedAutoregressiveFlow} is the opposite trade.
 */
public final class InverseAutoregressiveFlow extends AffineAutoregressive {
    /**
     * @param order  the autoregressive order ({@link MADE#order(String, int, Generator)})
     * @param hidden MADE hidden widths, e.g. {@code {64, 64}}
     */
    public InverseAutoregressiveFlow(TensorFactory f, Generator g, int[] order, int[] hidden, String activation,
            DType dtype) {
        super(f, g, order, hidden, activation, dtype);
    }

    /** D passes: {@code z = (x − μ(z))·exp(−α(z))}, solved one position of the order at a time. */
    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        return normalizeSequential(x);
    }

    /** One pass: {@code x = z·exp(α(z)) + μ(z)}. */
    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        return denormalizeOnePass(z);
    }

    @Override
    public String toString() {
        return "InverseAutoregressiveFlow(" + dim() + ")";
    }
}
