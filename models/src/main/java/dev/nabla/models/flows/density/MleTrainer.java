package dev.nabla.models.flows.density;

import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.Objective;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.Dataset;
import dev.nabla.api.spi.Config;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "mle"} trainer: maximum likelihood ({@link MleObjective}). Parts: {@code "model"} (a
 * {@link DensityModel}) and {@code "data"} (a {@link DataSplits}, trained on {@code train} and validated
 * on {@code validation}, or a {@link Dataset} with an optional {@code "validation"} {@link Dataset}).
 * Settings: see {@link LoopTrainer}.
 */
public final class MleTrainer extends LoopTrainer {
    /** An MLE trainer with default settings that the plan's settings may extend. */
    public MleTrainer(Map<String, Object> settings) {
        super(settings);
    }

    @Override
    public String name() {
        return "mle";
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of();
    }

    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        DensityModel model = plan.part("model", DensityModel.class);
        Object data = plan.parts().get("data");
        if (data instanceof DataSplits splits) {
            return new MleObjective(model, splits.train(), splits.validation());
        }
        Dataset train = plan.part("data", Dataset.class);
        Object v = plan.parts().get("validation");
        if (v != null && !(v instanceof Dataset)) {
            throw new IllegalArgumentException("mle: part 'validation' must be a Dataset, got " + v.getClass().getSimpleName());
        }
        return new MleObjective(model, train, (Dataset) v);
    }
}
