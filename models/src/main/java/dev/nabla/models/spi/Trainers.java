package dev.nabla.models.spi;

import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.train.Trainer;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Finds a trainer by name through every {@link TrainerProvider} on the module path (this module's first). */
public final class Trainers {
    private Trainers() {
    }

    /**
     * The trainer named {@code name} built with {@code settings}.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or bad settings
     */
    public static Trainer create(String name, Map<String, Object> settings) {
        TreeSet<String> known = new TreeSet<>();
        for (TrainerProvider p : ServiceLoader.load(TrainerProvider.class, Trainers.class.getClassLoader())) {
            if (p.names().contains(name)) {
                return p.create(name, settings);
            }
            known.addAll(p.names());
        }
        throw new IllegalArgumentException("unknown trainer '" + name + "'; known: " + known);
    }
}
