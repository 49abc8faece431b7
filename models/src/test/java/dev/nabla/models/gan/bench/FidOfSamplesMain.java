package dev.nabla.models.gan.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.checkpoint.Checkpoint;
import dev.nabla.models.classify.ClassifierFamily;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.ModelRequest;
import dev.nabla.models.image.FeatureExtractor;
import dev.nabla.models.image.Fid;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * FMNIST-FID of a file of samples made elsewhere (PyTorch's DCGAN, {@code scripts/dcgan-vs-torch}), with the
 * same tooling and numbers as {@code nabla eval}: the {@link Fid} between the features of the
 * {@code fmnist-classifier} run's network of the samples and of as many of that run's test images.
 *
 * <pre>
 *   FidOfSamplesMain CLASSIFIER_RUN SAMPLES.f32     (n × 784 little-endian float32 grey levels in [0, 1])
 * </pre>
 */
public final class FidOfSamplesMain {
    private FidOfSamplesMain() {
    }

    /** Prints {@code fmnist_fid=…}. */
    public static void main(String[] args) throws IOException {
        Path run = Path.of(args[0]);
        Path file = Files.isDirectory(run) ? run.resolve("checkpoint.safetensors") : run;
        byte[] raw = Files.readAllBytes(Path.of(args[1]));
        int n = raw.length / (4 * 784);
        float[] samples = new float[n * 784];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(samples);
        TensorFactory f = TensorFactory.on(Nabla.backend());
        ClassifierFamily family = new ClassifierFamily();
        try (Checkpoint c = Checkpoint.load(file, f)) {
            Map<String, Object> mc = c.modelConfig();
            Map<String, Object> config = new LinkedHashMap<>();
            ((Map<?, ?>) mc.get("config")).forEach((k, v) -> config.put(k.toString(), v));
            Map<String, Object> data = new LinkedHashMap<>();
            ((Map<?, ?>) mc.get("data")).forEach((k, v) -> data.put(k.toString(), v));
            String dataset = (String) mc.get("dataset");
            long seed = ((Number) mc.get("seed")).longValue();
            try (FamilyModel m = family.build(new ModelRequest((String) mc.get("model"), dataset, config, data, f,
                    new Generator(1), null))) {
                m.loadState(c.model());
                m.eval();
                FeatureExtractor features = m.unwrap(FeatureExtractor.class).orElseThrow();
                Dataset test = family.data(dataset, seed, config).test();
                int real = Math.min(n, test.size());
                float[] pixels;
                try (Scope s = Scope.open()) {
                    pixels = test.batch(f, Batches.sequential(real)).get(Dataset.X).toFloatArray();
                }
                double d = Fid.between(features, samples, n, pixels, real);
                System.out.printf(Locale.ROOT, "FMNIST-FID %.4f (%d samples of %s against %d test images, features of %s step %d)%n",
                        d, n, args[1], real, file, c.step());
                System.out.printf(Locale.ROOT, "fmnist_fid=%.6f%n", d);
            }
        }
    }
}
