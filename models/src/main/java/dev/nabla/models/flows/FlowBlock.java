package dev.nabla.models.flows;

import dev.nabla.api.flow.Flow;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.Block;

import java.util.Map;

/**
 * The base of Nabla's flows: a {@link Block} (named parameters, buffers, children, train/eval mode)
 * that is a {@link Flow} over batches {@code [batch, D]}.
 *
 * <p>Direction contract (from {@link Flow}): {@code forward} maps data {@code x → z} and returns
 * {@code log|det ∂z/∂x|}; {@code inverse} maps {@code z → x} and returns {@code log|det ∂x/∂z|}, per
 * sample, shape {@code [batch]}.
 */
public abstract class FlowBlock extends Block implements Flow {
    private final int dim;

    /** A flow over {@code R^dim}. */
    protected FlowBlock(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": dim must be positive, got " + dim);
        }
        this.dim = dim;
    }

    /** The dimension {@code D} this flow acts on. */
    public final int dim() {
        return dim;
    }

    @Override
    public Map<String, Tensor> namedParameters() {
        return super.namedParameters();
    }

    @Override
    public void close() {
        super.close();
    }

    /** Checks that {@code x} is {@code [batch, D]}. */
    protected final void checkInput(String op, Tensor x) {
        if (x.rank() != 2 || x.dim(1) != dim) {
            throw new ShapeException(getClass().getSimpleName() + "." + op + ": input " + x.shape() + " must be [batch, "
                    + dim + "]");
        }
    }
}
