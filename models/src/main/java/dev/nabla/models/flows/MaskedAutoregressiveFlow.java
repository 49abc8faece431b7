package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * A masked autoregressive flow layer, MAF (Papamakarios et al., 2017), with a {@link MADE} conditioner
 * (child {@code made}). In the order {@code π} of the MADE, with {@code x_<i} the variables before
 * {@code i}:
 *
 * <pre>
 *   forward (density, ONE pass):   z_i = (x_i − μ_i(x_&lt;i)) · exp(−α_i(x_&lt;i)),   log|det ∂z/∂x| = −Σ_i α_i(x_&lt;i)
 *   inverse (sampling, D passes):  x_i = z_i · exp(α_i(x_&lt;i)) + μ_i(x_&lt;i),     log|det ∂x/∂z| = +Σ_i α_i(x_&lt;i)
 * </pre>
 *
 * <p>The density of data is cheap (one MADE evaluation for the whole vector); sampling is
 * sequential: the inverse runs MADE {@code D} times, because {@code x_i} needs {@code x_<i} first.
 * The Jacobian {@code ∂z/∂x} is triangular in the order {@code π}. {@link InverseAutoregressiveFlow}
 * is the opposite trade.
 */
public final class MaskedAutoregressiveFlow extends AffineAutoregressive {
    /**
     * @param order  the autoregressive order ({@link MADE#order(String, int, Generator)})
     * @param hidden MADE hidden widths, e.g. {@code {64, 64}}
     */
    public MaskedAutoregressiveFlow(TensorFactory f, Generator g, int[] order, int[] hidden, String activation,
            DType dtype) {
        super(f, g, order, hidden, activation, dtype);
    }

    /** One pass: {@code z = (x − μ(x))·exp(−α(x))}. */
    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        return normalizeOnePass(x);
    }

    /** D passes: {@code x = z·exp(α(x)) + μ(x)}, solved one position of the order at a time. */
    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        return denormalizeSequential(z);
    }

    @Override
    public String toString() {
        return "MaskedAutoregressiveFlow(" + dim() + ")";
    }
}
