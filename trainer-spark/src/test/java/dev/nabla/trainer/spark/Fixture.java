package dev.nabla.trainer.spark;

import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.train.TrainingPlan;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelFamily;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.spi.ServiceComponents;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** A model built as {@code nabla train} builds it, its plan, and one Spark context shared by the tests. */
final class Fixture implements AutoCloseable {
    static final long MIXING = 0x9E3779B97F4A7C15L;
    private static SparkContext context;

    final FamilyModel model;
    final DataSplits data;
    final Map<String, Object> parts;

    /** realnvp on moons with {@code keys}, for {@code trainer}, seeded by {@code seed}. */
    Fixture(String model, String dataset, Map<String, Object> keys, String trainer, long seed, Map<String, Object> settings) {
        ModelFamily family = ServiceLoader.load(ModelFamily.class).stream().map(ServiceLoader.Provider::get)
                .filter(m -> m.name().equals("flows")).findFirst().orElseThrow();
        TensorFactory f = TensorFactory.on(Backends.selected());
        data = family.data(dataset, seed, keys);
        Map<String, Object> info = family.describe(dataset, data);
        this.model = family.build(new ModelRequest(model, dataset, keys, info, f, new Generator(seed ^ MIXING),
                ServiceComponents.load()));
        parts = new LinkedHashMap<>(this.model.trainingParts(new TrainingRequest(trainer, data, f,
                new LinkedHashMap<>(settings), r -> Optional.empty(), s -> { })));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("family", "flows");
        config.put("model", model);
        config.put("dataset", dataset);
        config.put("config", keys);
        config.put("trainer", trainer);
        config.put("seed", seed);
        parts.put("modelConfig", config);
    }

    TrainingPlan plan(int epochs, long seed, Map<String, Object> settings) {
        return new TrainingPlan(parts, epochs, seed, settings);
    }

    /** The parameters as float arrays. */
    Map<String, float[]> parameters() {
        Map<String, float[]> m = new LinkedHashMap<>();
        model.parameters().forEach((k, t) -> m.put(k, t.toFloatArray()));
        return m;
    }

    /** The test split's mean log-likelihood (nats), the family's headline measure. */
    double testLogLikelihood() {
        model.eval();
        return model.evaluate(data.test(), 512).headline().value();
    }

    @Override
    public void close() {
        parts.values().forEach(v -> {
            if (v instanceof Tensor t) {
                t.close();
            }
        });
        model.close();
    }

    /** One context for every test of the JVM: local[2], up to 2 attempts per task. */
    static void sharedSpark() {
        sharedSpark(2);
    }

    /** One context for the JVM: local[threads], up to 2 attempts per task (spark.master wins when set). */
    static synchronized void sharedSpark(int threads) {
        if (context == null) {
            SparkTrainerProvider.probe();
            context = new SparkContext(new SparkConf().setIfMissing("spark.master", "local[" + threads + ",2]").setAppName("nabla trainer-spark tests")
                    .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false"));
            Runtime.getRuntime().addShutdownHook(new Thread(context::stop));
        }
        SparkRounds.useContext(context);
    }
}
