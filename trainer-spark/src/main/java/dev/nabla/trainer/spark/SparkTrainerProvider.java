package dev.nabla.trainer.spark;

import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.TrainerProvider;
import dev.nabla.api.train.Trainer;

import java.util.Map;
import java.util.Set;

/**
 * Offers the trainer {@value SparkTrainer#NAME} ({@link SparkTrainer}). Available when Apache Spark
 * (spark-core 4.2 for Scala 2.13) is on the class path; {@code ./nabla} puts it there when
 * {@code --trainer spark} is asked for, and {@code spark-submit} brings its own.
 */
public final class SparkTrainerProvider implements TrainerProvider {
    private static final String PROBE = "org.apache.spark.SparkContext";

    /** Public no-argument constructor for {@link java.util.ServiceLoader}. */
    public SparkTrainerProvider() {
    }

    @Override
    public Set<String> names() {
        return Set.of(SparkTrainer.NAME);
    }

    /**
     * Available when Spark's classes can be loaded; this module then reads the unnamed module (the class
     * path), which must happen before any class of this module that names a Spark type is linked.
     */
    @Override
    public Availability availability() {
        return probe();
    }

    /** {@link #availability()}, shared with the trainer. */
    static Availability probe() {
        ClassLoader loader = SparkTrainerProvider.class.getClassLoader();
        try {
            Class<?> c = Class.forName(PROBE, false, loader);
            Module own = SparkTrainerProvider.class.getModule();
            if (own.isNamed()) {   // Spark lives on the class path: read it (a no-op on the class path)
                own.addReads(c.getModule());
                own.addReads(loader.getUnnamedModule());
            }
            Package p = c.getPackage();
            String version = p == null || p.getImplementationVersion() == null ? "" : " " + p.getImplementationVersion();
            return Availability.available("Apache Spark" + version);
        } catch (ClassNotFoundException | LinkageError e) {
            return Availability.unavailable("Apache Spark is not on the class path (" + PROBE + " not found): run "
                    + "./nabla with --trainer spark (it adds Spark's jars), or launch with spark-submit");
        }
    }

    /**
     * The trainer, its settings checked now.
     *
     * @throws IllegalArgumentException for another name, a bad setting, or when Spark is missing (naming why)
     */
    @Override
    public Trainer create(String name, Map<String, Object> settings) {
        if (!SparkTrainer.NAME.equals(name)) {
            throw new IllegalArgumentException("unknown trainer '" + name + "'; this provider builds " + names());
        }
        Availability a = probe();
        if (!a.available()) {
            throw new IllegalArgumentException("trainer 'spark' is unavailable: " + a.reason());
        }
        return new SparkTrainer(settings);
    }
}
