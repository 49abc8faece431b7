package dev.nabla.models.train;

/**
 * Stops training when the validation loss has not improved by more than {@code minDelta} for
 * {@code patience} consecutive validations (Keras' and Lightning's rule). A validation loss that is
 * NaN or ±∞ counts as no improvement.
 */
public final class EarlyStopping implements TrainingListener {
    private final int patience;
    private final double minDelta;
    private double best = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int bad;

    /**
     * @param patience validations without improvement before stopping, at least 1
     * @param minDelta the improvement that counts, at least 0
     */
    public EarlyStopping(int patience, double minDelta) {
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 and minDelta >= 0, got "
                    + patience + " and " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
    }

    @Override
    public void onValidation(long step, int epoch, double loss) {
        if (Double.isFinite(loss) && loss < best - minDelta) {   // NaN or ±∞ is no improvement
            best = loss;
            bestStep = step;
            bad = 0;
        } else {
            bad++;
        }
    }

    /** {@code best} (when finite), {@code best_step} and {@code bad}, so that a resumed run stops where an uninterrupted one would. */
    @Override
    public java.util.Map<String, Double> state() {
        java.util.Map<String, Double> m = new java.util.LinkedHashMap<>();
        if (Double.isFinite(best)) {
            m.put("best", best);
        }
        m.put("best_step", (double) bestStep);
        m.put("bad", (double) bad);
        return m;
    }

    /** Restores {@link #state()}; a missing {@code best} is +∞. */
    @Override
    public void loadState(java.util.Map<String, Double> state) {
        best = state.getOrDefault("best", Double.POSITIVE_INFINITY);
        bestStep = state.getOrDefault("best_step", -1.0).longValue();
        bad = state.getOrDefault("bad", 0.0).intValue();
    }

    @Override
    public boolean shouldStop() {
        return bad >= patience;
    }

    /** The best validation loss seen, or +∞. */
    public double best() {
        return best;
    }

    /** The step of the best validation loss, or -1. */
    public long bestStep() {
        return bestStep;
    }
}
