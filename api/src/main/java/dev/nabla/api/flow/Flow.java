package dev.nabla.api.flow;

import dev.nabla.api.tensor.Tensor;
import java.util.Map;

/**
 * A bijection with a tractable Jacobian determinant, the building block of normalizing flows.
 *
 * <p><b>Direction contract.</b> {@link #forward} maps data to noise, {@code x → z}, and returns
 * {@code log|det ∂z/∂x|}; {@link #inverse} maps noise to data, {@code z → x}, and returns
 * {@code log|det ∂x/∂z|}. So {@code inverse(forward(x).value()).value() ≈ x} and the two log-dets
 * cancel. With a base density {@code p_Z}, {@code log p_X(x) = log p_Z(z) + log|det ∂z/∂x|}.
 * (normflows and nflows disagree on the direction; this is ours.)
 */
public interface Flow extends AutoCloseable {
    /** Data to noise, with {@code log|det ∂z/∂x|} per sample. */
    FlowResult forward(Tensor x);

    /** Noise to data, with {@code log|det ∂x/∂z|} per sample. */
    FlowResult inverse(Tensor z);

    /** The flow's parameters by stable dotted name. */
    Map<String, Tensor> namedParameters();

    /** Releases the parameters. */
    @Override
    default void close() {
        for (Tensor p : namedParameters().values()) {
            p.close();
        }
    }
}
