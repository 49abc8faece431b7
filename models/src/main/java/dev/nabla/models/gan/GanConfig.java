package dev.nabla.models.gan;

/**
 * The settings of the game, as {@code --set} keys give them.
 *
 * @param loss      {@code loss}: the generator's loss, {@code minimax} or {@code nonsaturating} (default), or
 *                  {@code hinge} (both players' hinge loss, SAGAN's)
 * @param k         {@code k}: discriminator steps per generator step (each on its own batch), at least 1
 * @param lrD       {@code lr_d}: the discriminator's Adam learning rate
 * @param lrG       {@code lr_g}: the generator's Adam learning rate
 * @param beta1     {@code beta1}: Adam's β1 for both players (default 0.5)
 * @param beta2     {@code beta2}: Adam's β2 for both players (default 0.999)
 * @param smoothing {@code smooth}: one-sided label smoothing, the real label is {@code 1 − smooth} (default 0)
 */
public record GanConfig(GanLoss loss, int k, double lrD, double lrG, double beta1, double beta2, double smoothing) {
    /**
     * Checks the values.
     *
     * @throws IllegalArgumentException naming the key of a bad value
     */
    public GanConfig {
        if (loss == null) {
            throw new IllegalArgumentException("gan: loss must be one of " + GanLoss.names());
        }
        if (k < 1) {
            throw new IllegalArgumentException("gan: k (discriminator steps per generator step) must be at least 1, got " + k);
        }
        if (!(lrD > 0) || !(lrG > 0) || !Double.isFinite(lrD) || !Double.isFinite(lrG)) {
            throw new IllegalArgumentException("gan: lr_d and lr_g must be positive, got " + lrD + " and " + lrG);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("gan: beta1 and beta2 must be in [0, 1), got " + beta1 + " and " + beta2);
        }
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException("gan: smooth must be in [0, 1), got " + smoothing);
        }
        if (loss == GanLoss.HINGE && smoothing != 0) {
            throw new IllegalArgumentException("gan: smooth (label smoothing) applies to the cross-entropy losses, not to "
                    + "loss=hinge; got smooth=" + smoothing);
        }
    }
}
