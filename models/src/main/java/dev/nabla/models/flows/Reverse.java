package dev.nabla.models.flows;

import dev.nabla.api.flow.FlowResult;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.Shape;

/**
 * Reverses the order of the dimensions, {@code z_i = x_{D-1-i}}; it is its own inverse and both
 * log-dets are 0. Placed between autoregressive layers so the next one conditions the other way.
 */
public final class Reverse extends FlowBlock {
    private final TensorFactory f;

    /** A reversal of {@code R^dim}. */
    public Reverse(TensorFactory f, int dim) {
        super(dim);
        this.f = f;
    }

    @Override
    public FlowResult forward(Tensor x) {
        checkInput("forward", x);
        return new FlowResult(x.flip(1), f.zeros(Shape.of(x.dim(0)), x.dtype()));
    }

    @Override
    public FlowResult inverse(Tensor z) {
        checkInput("inverse", z);
        return new FlowResult(z.flip(1), f.zeros(Shape.of(z.dim(0)), z.dtype()));
    }

    @Override
    public String toString() {
        return "Reverse(" + dim() + ")";
    }
}
