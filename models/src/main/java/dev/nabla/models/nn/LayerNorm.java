package dev.nabla.models.nn;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;

import java.util.Arrays;

/**
 * Layer normalisation (Ba et al., 2016), as PyTorch's {@code nn.LayerNorm}, over the last
 * {@code k = normalizedShape.length} axes:
 * <pre>
 *   μ = mean(x),  σ² = mean((x - μ)²)       (biased, over the last k axes, per leading index)
 *   y = (x - μ) / sqrt(σ² + ε) · γ + β
 * </pre>
 * Parameters {@code weight} (γ, ones) and {@code bias} (β, zeros) of {@code normalizedShape}, unless
 * built without an elementwise affine. Same behaviour in training and evaluation. Runs {@link Tensor#layerNorm},
 * fused into one pass per row (forward and backward) on a backend that offers the kernel.
 */
public class LayerNorm extends Block implements Layer {
    private final int[] normalizedShape;
    private final double eps;
    private final Tensor weight;
    private final Tensor bias;

    /** LayerNorm over the last axes of sizes {@code normalizedShape}, ε = 1e-5, with affine parameters. */
    public LayerNorm(TensorFactory f, int... normalizedShape) {
        this(f, normalizedShape, 1e-5, true);
    }

    /**
     * @param normalizedShape sizes of the trailing axes normalised over; at least one, all positive
     * @param eps             added to the variance, positive
     * @param affine          whether to learn γ and β
     */
    public LayerNorm(TensorFactory f, int[] normalizedShape, double eps, boolean affine) {
        this(f, normalizedShape, eps, affine, DType.FLOAT32);
    }

    /**
     * As {@link #LayerNorm(TensorFactory, int[], double, boolean)} with parameters of {@code dtype}.
     *
     * @param dtype the dtype of γ and β, float32 or float64
     */
    public LayerNorm(TensorFactory f, int[] normalizedShape, double eps, boolean affine, DType dtype) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d < 1) || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: normalized shape " + Arrays.toString(normalizedShape)
                    + " must be non-empty and positive, eps " + eps + " positive");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("LayerNorm: dtype must be floating point, got " + dtype);
        }
        this.weight = affine ? parameter("weight", f.full(Shape.of(normalizedShape), 1.0, dtype)) : null;
        this.bias = affine ? parameter("bias", f.zeros(Shape.of(normalizedShape), dtype)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        int r = x.rank();
        boolean ok = r >= k;
        for (int i = 0; ok && i < k; i++) {
            ok = x.dim(r - k + i) == normalizedShape[i];
        }
        if (!ok) {
            throw new ShapeException("LayerNorm" + Arrays.toString(normalizedShape) + ": input " + x.shape()
                    + " must end in " + Arrays.toString(normalizedShape));
        }
        return x.layerNorm(normalizedShape, weight, bias, eps);
    }

    @Override
    public String toString() {
        return "LayerNorm(" + Arrays.toString(normalizedShape) + ", eps=" + eps + ")";
    }
}
