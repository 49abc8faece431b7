package dev.nabla.models.vae.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.vae.Binarization;
import dev.nabla.models.vae.Decoder;
import dev.nabla.models.vae.VaeConfig;
import dev.nabla.models.vae.VariationalAutoencoder;

import java.util.Locale;

/**
 * The Nabla half of {@code scripts/bench-vae}: milliseconds per training step (negative ELBO forward,
 * backward, Adam) of the MLP VAE (784-512-512, latent 20) and the convolutional VAE (channels 32, hidden
 * 256, latent 20), Bernoulli, on a batch of 128 binarised test images, on the backend
 * {@link Nabla#backend()} selects; the best of three runs of {@code steps} steps after 10 warm-up steps.
 *
 * <pre>
 *   VaeStepBenchMain [steps=50]
 * </pre>
 */
public final class VaeStepBenchMain {
    private VaeStepBenchMain() {
    }

    /** Runs the benchmark. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        TensorFactory f = TensorFactory.on(Nabla.backend());
        Dataset test = Binarization.binarize(DataCatalog.fashionMnistPixels(0)).test();
        int[] first = new int[128];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Tensor x = test.batch(f, first).get(Dataset.X).keep();
        for (boolean conv : new boolean[] {false, true}) {
            VaeConfig c = new VaeConfig(20, conv ? 256 : 512, 2, conv, 32, Decoder.BERNOULLI, 0.1, 1.0, 0, DType.FLOAT32);
            try (VariationalAutoencoder vae = new VariationalAutoencoder(f, new Generator(1), c, 28, 28)) {
                Adam adam = new Adam(vae.namedParameters(), 1e-3);
                Generator g = new Generator(2);
                Runnable step = () -> {
                    try (Scope s = Scope.open()) {
                        adam.zeroGrad();
                        vae.elbo(x, g).negativeElbo().mean().backward();
                        adam.step();
                    }
                };
                for (int i = 0; i < 10; i++) {
                    step.run();
                }
                double best = Double.POSITIVE_INFINITY;
                for (int rep = 0; rep < 3; rep++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        step.run();
                    }
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6 / steps);
                }
                System.out.printf(Locale.ROOT, "nabla %s ms/step %.3f (backend %s)%n", conv ? "conv" : "mlp", best,
                        f.backend().name());
            }
        }
    }
}
