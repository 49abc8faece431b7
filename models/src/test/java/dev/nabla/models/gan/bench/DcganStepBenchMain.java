package dev.nabla.models.gan.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.gan.DcGan;
import dev.nabla.models.gan.GanFamily;
import dev.nabla.models.gan.GanModel;
import dev.nabla.models.optim.Adam;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Nabla half of {@code scripts/bench-dcgan-vs-torch}: milliseconds per DCGAN training step (the
 * discriminator's loss, backward and Adam step, then the generator's), latent 64, channels 32, batch 64 of
 * Fashion-MNIST test images, on the backend {@link Nabla#backend()} selects; the best of three runs of
 * {@code steps} steps after 5 warm-up steps. The same four scalars are read each step as PyTorch's peer reads.
 *
 * <pre>
 *   DcganStepBenchMain [steps=20]
 * </pre>
 */
public final class DcganStepBenchMain {
    private DcganStepBenchMain() {
    }

    private static Map<String, Tensor> group(DcGan gan, String prefix) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        gan.namedParameters().forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return m;
    }

    /** Runs the benchmark. */
    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        TensorFactory f = TensorFactory.on(Nabla.backend());
        Dataset test = DataCatalog.fashionMnistPixels(0).test();
        int[] first = new int[64];
        for (int i = 0; i < first.length; i++) {
            first[i] = i;
        }
        Tensor x = test.batch(f, first).get(Dataset.X).keep();
        DcGan gan = new DcGan(f, new Generator(1), 64, 32);
        GanModel model = new GanModel("dcgan", gan, GanFamily.game(dev.nabla.api.spi.Config.keys("dcgan", Map.of(),
                java.util.Set.of())), null);
        Adam d = new Adam(group(gan, "discriminator."), 2e-4, 0.5, 0.999, 1e-8, 0);
        Adam g = new Adam(group(gan, "generator."), 2e-4, 0.5, 0.999, 1e-8, 0);
        Generator random = new Generator(2);
        Runnable step = () -> {
            try (Scope s = Scope.open()) {
                d.zeroGrad();
                var dl = model.discriminatorLoss(x, random);
                dl.value().backward();
                d.step();
                dl.parts().get("d_real").item();
                dl.parts().get("d_fake").item();
                dl.value().item();
            }
            try (Scope s = Scope.open()) {
                g.zeroGrad();
                var gl = model.generatorLoss(64, random);
                gl.value().backward();
                g.step();
                gl.value().item();
            }
        };
        for (int i = 0; i < 5; i++) {
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
        System.out.printf(Locale.ROOT, "nabla dcgan ms/step %.3f (backend %s)%n", best, f.backend().name());
        model.close();
    }
}
