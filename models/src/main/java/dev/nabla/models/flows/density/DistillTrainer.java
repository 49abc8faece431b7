package dev.nabla.models.flows.density;

import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.Objective;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.api.spi.Config;

import java.util.Map;
import java.util.Set;

/**
 * The {@code "distill"} trainer: probability density distillation ({@link DistillObjective}). Parts:
 * {@code "student"} (a {@link SamplingModel}, trained) and {@code "teacher"} (a {@link DensityModel},
 * fixed). Settings: those of {@link LoopTrainer} plus {@code stepsPerEpoch} (required; each step draws
 * {@code batchSize} samples) and {@code validationSamples} (default 1024; 0 disables validation).
 */
public final class DistillTrainer extends LoopTrainer {
    /** A distillation trainer with default settings that the plan's settings may extend. */
    public DistillTrainer(Map<String, Object> settings) {
        super(settings);
    }

    @Override
    public String name() {
        return "distill";
    }

    @Override
    protected Set<String> extraKeys() {
        return Set.of("stepsPerEpoch", "validationSamples");
    }

    @Override
    protected Objective objective(TrainingPlan plan, Config s) {
        if (!s.has("stepsPerEpoch")) {
            throw new IllegalArgumentException("distill: setting 'stepsPerEpoch' is required (the student's samples"
                    + " are the data, so there is no data set to count)");
        }
        return new DistillObjective(plan.part("student", SamplingModel.class), plan.part("teacher", DensityModel.class),
                s.intOr("validationSamples", 1024));
    }
}
