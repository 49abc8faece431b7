package dev.nabla.models.spi;

import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.train.Trainer;
import dev.nabla.models.flows.density.DistillTrainer;
import dev.nabla.models.flows.density.MleTrainer;
import dev.nabla.models.train.ObjectiveTrainer;
import dev.nabla.models.train.UpdatesTrainer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model library's trainers by name: {@code "mle"} ({@link MleTrainer}) and {@code "distill"}
 * ({@link DistillTrainer}) of the flows family, and {@code "objective"} ({@link ObjectiveTrainer}), which
 * minimises a model's own {@link dev.nabla.models.train.Objective}, and {@code "updates"}
 * ({@link UpdatesTrainer}), which runs a model's own list of updates (a GAN's two players). Settings are validated when the
 * trainer is created and again, merged with the plan's, when it runs.
 */
public final class ModelsTrainerProvider implements TrainerProvider {
    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public ModelsTrainerProvider() {
    }

    @Override
    public Set<String> names() {
        return new LinkedHashSet<>(List.of("mle", "distill", ObjectiveTrainer.NAME,
                UpdatesTrainer.NAME));
    }

    @Override
    public Trainer create(String name, Map<String, Object> settings) {
        return switch (name) {
            case "mle" -> new MleTrainer(settings);
            case "distill" -> new DistillTrainer(settings);
            case ObjectiveTrainer.NAME -> new ObjectiveTrainer(settings);
            case UpdatesTrainer.NAME -> new UpdatesTrainer(settings);
            default -> throw new IllegalArgumentException("unknown trainer '" + name + "'; this provider builds " + names());
        };
    }
}
