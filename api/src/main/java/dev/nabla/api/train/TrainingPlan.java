package dev.nabla.api.train;

import java.util.Map;

/**
 * What a {@link Trainer} is asked to do: the objects it trains and reads (looked up by role name, e.g.
 * {@code "model"}, {@code "teacher"}, {@code "data"}, {@code "optimizer"}) and its settings.
 *
 * @param parts    the objects involved, by role; a trainer documents the roles it needs
 * @param epochs   passes over the training data, at least 1
 * @param seed     the seed for shuffling and any sampling the trainer does
 * @param settings further trainer-specific settings (learning rate, batch size, …)
 */
public record TrainingPlan(Map<String, Object> parts, int epochs, long seed, Map<String, Object> settings) {
    /** Validates and copies the components. */
    public TrainingPlan {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        parts = Map.copyOf(parts);
        settings = Map.copyOf(settings);
    }

    /**
     * The part with the given role and type.
     *
     * @throws IllegalArgumentException naming the role and the roles present when it is missing or of another type
     */
    public <T> T part(String role, Class<T> type) {
        Object o = parts.get(role);
        if (!type.isInstance(o)) {
            throw new IllegalArgumentException("training plan: part '" + role + "' must be a " + type.getSimpleName()
                    + ", got " + (o == null ? "nothing" : o.getClass().getSimpleName()) + "; parts: " + parts.keySet());
        }
        return type.cast(o);
    }
}
