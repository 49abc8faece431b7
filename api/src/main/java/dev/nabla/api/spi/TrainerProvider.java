package dev.nabla.api.spi;

import dev.nabla.api.train.Trainer;
import java.util.Map;
import java.util.Set;

/**
 * Service interface for named training strategies ({@code "mle"}, {@code "elbo"},
 * {@code "adversarial"}, {@code "distill"}, …), found with {@link java.util.ServiceLoader}. A
 * distributed trainer is one more provider.
 */
public interface TrainerProvider {
    /** The trainer names this provider builds. */
    Set<String> names();

    /**
     * Builds the named trainer with the given settings.
     *
     * @throws IllegalArgumentException for an unknown name or bad settings, naming what is wrong
     */
    Trainer create(String name, Map<String, Object> settings);

    /**
     * Whether this provider's trainers can run here and, if not, why (a distributed trainer whose
     * engine is not on the class path): listed by {@code nabla list}, and naming an unavailable
     * trainer fails with the reason. Available by default.
     */
    default Availability availability() {
        return Availability.available("");
    }
}
