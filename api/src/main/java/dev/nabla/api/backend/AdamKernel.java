package dev.nabla.api.backend;

/**
 * One Adam step (Kingma &amp; Ba, 2015; PyTorch's {@code torch.optim.Adam}) on one parameter, in one pass over its
 * elements instead of the dozen kernel calls of the composed update:
 * <pre>
 *   g' = g + λ·θ                                   (coupled L2 weight decay λ; 0 for none)
 *   m ← β1·m + (1 − β1)·g'                          v ← β2·v + (1 − β2)·g'²
 *   θ ← θ − stepSize · m / (sqrt(v)·invSqrtBc2 + ε)  stepSize = lr / (1 − β1^t), invSqrtBc2 = 1 / sqrt(1 − β2^t)
 * </pre>
 * {@code θ}, {@code m} and {@code v} are updated in place; {@code g} is read only. Storages are dense, of one
 * floating dtype and one size. Not differentiable: an optimizer's update records nothing. Without this kernel the
 * optimizer composes the same update from {@link Kernels#binary}, {@link Kernels#unary} and {@link Kernels#fill}.
 */
public interface AdamKernel extends FusedKernel {
    /**
     * Updates {@code param}, {@code expAvg} and {@code expAvgSq} in place.
     *
     * @param param       θ
     * @param grad        g (read only)
     * @param expAvg      m
     * @param expAvgSq    v
     * @param beta1       β1 in [0, 1)
     * @param beta2       β2 in [0, 1)
     * @param eps         ε, positive
     * @param weightDecay λ, 0 for none
     * @param stepSize    {@code lr / (1 − β1^t)}
     * @param invSqrtBc2  {@code 1 / sqrt(1 − β2^t)}
     */
    void adam(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, double beta1, double beta2, double eps,
              double weightDecay, double stepSize, double invSqrtBc2);
}
