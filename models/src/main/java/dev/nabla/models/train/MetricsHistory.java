package dev.nabla.models.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Records every step loss (with its named parts), validation loss and epoch's metrics, for plots and tests. */
public final class MetricsHistory implements TrainingListener {
    private final List<Double> stepLosses = new ArrayList<>();
    private final List<Map<String, Double>> stepParts = new ArrayList<>();
    private final List<Double> validationLosses = new ArrayList<>();
    private final List<Map<String, Double>> epochs = new ArrayList<>();

    /** A step without named parts (what a trainer outside the model library reports). */
    @Override
    public void onStep(long step, double loss) {
        onStep(step, loss, java.util.Map.of());
    }

    @Override
    public void onStep(long step, double loss, Map<String, Double> parts) {
        stepLosses.add(loss);
        stepParts.add(Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parts)));
    }

    @Override
    public void onValidation(long step, int epoch, double loss) {
        validationLosses.add(loss);
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> metrics) {
        epochs.add(Map.copyOf(metrics));
    }

    /** The loss of each step, in order. */
    public List<Double> stepLosses() {
        return Collections.unmodifiableList(stepLosses);
    }

    /** The named parts of each step's loss, in order (empty maps for a loss without parts). */
    public List<Map<String, Double>> stepParts() {
        return Collections.unmodifiableList(stepParts);
    }

    /** Each validation loss, in order. */
    public List<Double> validationLosses() {
        return Collections.unmodifiableList(validationLosses);
    }

    /** Each completed epoch's metrics. */
    public List<Map<String, Double>> epochs() {
        return Collections.unmodifiableList(epochs);
    }
}
