package org.example.nabla.plugin;

import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.train.Trainer;

import java.util.Map;
import java.util.Set;

/**
 * Offers {@code sgd_momentum} ({@link MomentumTrainer}): {@code nabla train MODEL --trainer sgd_momentum
 * [--lr X] [--batch-size N] [--trainer-set momentum=0.95] …}. The settings are checked when the trainer is
 * created, so a misspelt one fails before any work.
 */
public final class ExampleTrainerProvider implements TrainerProvider {
    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public ExampleTrainerProvider() {
    }

    @Override
    public Set<String> names() {
        return Set.of(MomentumTrainer.NAME);
    }

    @Override
    public Trainer create(String name, Map<String, Object> settings) {
        if (!MomentumTrainer.NAME.equals(name)) {
            throw new IllegalArgumentException("unknown trainer '" + name + "'; this provider builds " + names());
        }
        return new MomentumTrainer(settings);
    }
}
