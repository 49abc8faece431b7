package dev.nabla.api.tensor;

import dev.nabla.api.backend.Conv2dKernel;
import dev.nabla.api.backend.Conv2dKernel.Geometry;
import dev.nabla.api.types.Shape;

/**
 * {@code conv2d} and {@code convTranspose2d} on a backend's {@link Conv2dKernel}: three recorded ops — the
 * convolution {@code y = conv(x, w) + b}, its input gradient {@code gx = convᵀ(gy, w) + b} (the transposed
 * convolution) and its weight gradient {@code gw = Σ gy ⋆ x} — whose gradients are each other:
 * <pre>
 *   y  = conv(x, w):     ∂x = convᵀ(g, w),   ∂w = wgrad(g, x)
 *   gx = convᵀ(gy, w):   ∂gy = conv(g, w),   ∂w = wgrad(gy, g)
 *   gw = wgrad(gy, x):   ∂gy = conv(x, g),   ∂x = convᵀ(gy, g)
 * </pre>
 * and a bias's gradient is the output gradient summed over batch and pixels. So a recorded backward pass
 * (createGraph) stays on the kernel and can be differentiated again.
 */
final class FusedConv2d {
    private static final int[] BATCH_AND_PIXELS = {0, 2, 3};

    private FusedConv2d() {
    }

    /** {@code y [N, O, HO, WO] = conv(x, w) + b}, {@code b} optional. */
    static Tensor conv(Tensor x, Tensor w, Tensor b, Geometry g, Conv2dKernel kernel) {
        String op = "conv2d";
        Tensor y = Ops.alloc(x.backend(), x.dtype(),
                Shape.of(g.batch(), g.outChannels(), g.outHeight(), g.outWidth()));
        kernel.conv2d(x.storage(op), w.storage(op), b == null ? null : b.storage(op), g, y.storage());
        return Ops.record(y, op, gy -> new Tensor[] {
            x.requiresGrad() ? inputGrad(gy, w, null, g, kernel) : null,
            w.requiresGrad() ? weightGrad(gy, x, g, kernel) : null,
            b != null && b.requiresGrad() ? gy.sum(BATCH_AND_PIXELS, false) : null}, x, w, b);
    }

    /** {@code gx [N, C, H, W] = convᵀ(gy, w) + b}, {@code b [C]} optional: the transposed convolution. */
    static Tensor inputGrad(Tensor gy, Tensor w, Tensor b, Geometry g, Conv2dKernel kernel) {
        String op = "convTranspose2d";
        Tensor gx = Ops.alloc(gy.backend(), gy.dtype(), Shape.of(g.batch(), g.inChannels(), g.height(), g.width()));
        kernel.conv2dInputGrad(gy.storage(op), w.storage(op), b == null ? null : b.storage(op), g, gx.storage());
        return Ops.record(gx, op, gg -> new Tensor[] {
            gy.requiresGrad() ? conv(gg, w, null, g, kernel) : null,
            w.requiresGrad() ? weightGrad(gy, gg, g, kernel) : null,
            b != null && b.requiresGrad() ? gg.sum(BATCH_AND_PIXELS, false) : null}, gy, w, b);
    }

    /** {@code gw [O, C, KH, KW] = Σ_n gy[n] ⋆ x[n]}. */
    static Tensor weightGrad(Tensor gy, Tensor x, Geometry g, Conv2dKernel kernel) {
        String op = "conv2d weight gradient";
        Tensor gw = Ops.alloc(gy.backend(), gy.dtype(),
                Shape.of(g.outChannels(), g.inChannels(), g.kernelHeight(), g.kernelWidth()));
        kernel.conv2dWeightGrad(gy.storage(op), x.storage(op), g, gw.storage());
        return Ops.record(gw, op, gg -> new Tensor[] {
            gy.requiresGrad() ? conv(x, gg, null, g, kernel) : null,
            x.requiresGrad() ? inputGrad(gy, gg, null, g, kernel) : null}, gy, x);
    }
}
