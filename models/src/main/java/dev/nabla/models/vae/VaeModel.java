package dev.nabla.models.vae;

import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.family.Evaluation;
import dev.nabla.models.family.FamilyModel;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import dev.nabla.models.family.TrainingRequest;
import dev.nabla.models.image.Interpolation;
import dev.nabla.models.image.LabelledPoints;
import dev.nabla.models.image.LatentImageModel;
import dev.nabla.models.train.ObjectiveTrainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link VariationalAutoencoder} as the {@code nabla} command sees it. It trains with the
 * {@code objective} trainer on the {@link ElboObjective} (part {@code objective}), so {@code recon} and
 * {@code kl} reach {@code metrics.csv} and {@code loss.png}; {@code sample} gives a grid of decoded prior
 * samples {@code E[x|z]}, {@code z ~ N(0, I)}; {@code eval} reports, on the given split,
 * <ul>
 *   <li>{@code iw_bound}: the importance-weighted bound {@code L_K} with {@code K} = the key {@code iw}
 *       (default 1000), averaged over the images, in nats — the test log-likelihood estimate; the NLL is
 *       its negative (the key {@code iw_images} limits it to the first N images);</li>
 *   <li>{@code iw_bits_per_dim}: {@code −L_K / (D·ln 2)};</li>
 *   <li>{@code elbo}, {@code elbo_bits_per_dim}, {@code recon}, {@code kl}: the ELBO (one sample per image) and its terms.</li>
 * </ul>
 * The draws of {@code eval} come from a generator of fixed seed, so it repeats exactly. For the Bernoulli
 * decoder these are log-probabilities of binarised images ({@link Binarization}); for a Gaussian one,
 * densities of pixel intensities in {@code [0, 1]}. As a {@link LatentImageModel} it gives
 * reconstructions, interpolations and, with {@code latent=2}, the latent codes of labelled images.
 */
public final class VaeModel implements FamilyModel, LatentImageModel {
    /** The seed of {@code eval}'s draws. */
    static final long EVAL_SEED = 20_260_214L;

    private final VariationalAutoencoder vae;
    private final int height;
    private final int width;
    private final int iwSamples;
    private final int iwImages;

    /**
     * @param vae       the model (owned)
     * @param height    image height
     * @param width     image width
     * @param iwSamples {@code K} of the importance-weighted bound {@code eval} reports
     * @param iwImages  the bound over the first this many images of a split only (0: all)
     */
    public VaeModel(VariationalAutoencoder vae, int height, int width, int iwSamples, int iwImages) {
        this.vae = vae;
        this.height = height;
        this.width = width;
        this.iwSamples = iwSamples;
        this.iwImages = iwImages;
    }

    /** The autoencoder. */
    public VariationalAutoencoder vae() {
        return vae;
    }

    private TensorFactory tensors() {
        return vae.namedParameters().values().iterator().next().factory();
    }

    @Override
    public Map<String, Tensor> parameters() {
        return vae.namedParameters();
    }

    @Override
    public Map<String, Tensor> state() {
        return vae.state();
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        vae.loadState(state);
    }

    @Override
    public void eval() {
        vae.eval();
    }

    @Override
    public String defaultTrainer() {
        return ObjectiveTrainer.NAME;
    }

    @Override
    public Map<String, Object> trainingParts(TrainingRequest r) {
        ObjectiveTrainer.requireFor("vae", r.trainer(), "its ELBO");
        if (r.runs().apply(TrainingRequest.TEACHER).isPresent()) {
            throw new IllegalArgumentException("vae learns from the data set; --teacher is for --trainer distill");
        }
        Map<String, Object> parts = new LinkedHashMap<>();
        parts.put("objective", new ElboObjective(vae, r.data().train(), r.data().validation()));
        parts.put("model", vae);
        return parts;
    }

    @Override
    public String lossLabel(String trainer) {
        return "loss: negative ELBO (nats), parts recon and kl";
    }

    private void requireFits(Dataset data) {
        long d = data.exampleShape(Dataset.X).size();
        if (d != vae.dim()) {
            throw new IllegalArgumentException("the data set has images of " + d + " pixels, the model " + vae.dim());
        }
    }

    private Tensor images(Dataset data, int[] indices) {
        Tensor x = data.batch(tensors(), indices).get(Dataset.X);
        return x.dtype() == vae.config().dtype() ? x : x.to(vae.config().dtype());
    }

    @Override
    public Evaluation evaluate(Dataset data, int batchSize) {
        requireFits(data);
        Generator random = new Generator(EVAL_SEED);
        double[] elbo;
        double iw = 0;
        int iwCount = iwImages > 0 ? Math.min(iwImages, data.size()) : data.size();
        try (GradMode ignored = Autograd.noGrad()) {
            elbo = ElboObjective.meanNegativeElbo(vae, data, batchSize, random);
            int[] order = Batches.sequential(iwCount);
            int chunk = 64;
            for (int b = 0; b < Batches.count(iwCount, chunk, false); b++) {
                try (Scope s = Scope.open()) {
                    for (double v : vae.importanceWeightedBound(images(data, Batches.batch(order, chunk, b)), iwSamples, random)) {
                        iw += v;
                    }
                }
            }
        }
        iw /= iwCount;
        double perDim = vae.dim() * Math.log(2);
        List<Evaluation.Metric> m = new ArrayList<>();
        m.add(new Evaluation.Metric("iw_bound", "importance-weighted bound (K=" + iwSamples + ")", iw, "nats"));
        m.add(new Evaluation.Metric("iw_bits_per_dim", "importance-weighted NLL per dimension", -iw / perDim, "bits/dim"));
        m.add(new Evaluation.Metric("elbo", "ELBO", -elbo[0], "nats"));
        m.add(new Evaluation.Metric("elbo_bits_per_dim", "negative ELBO per dimension", elbo[0] / perDim, "bits/dim"));
        m.add(new Evaluation.Metric("recon", "reconstruction term -E[log p(x|z)]", elbo[1], "nats"));
        m.add(new Evaluation.Metric("kl", "KL(q(z|x) || p(z))", elbo[2], "nats"));
        String summary = String.format(Locale.ROOT, "importance-weighted bound (K=%d" + (iwCount < data.size() ? ", first " + iwCount + " images" : "") + ") %.4f nats (NLL %.4f, %.4f bits/dim); "
                        + "ELBO %.4f nats (%.4f bits/dim; recon %.4f, kl %.4f)", iwSamples, iw, -iw, -iw / perDim,
                -elbo[0], elbo[0] / perDim, elbo[1], elbo[2]);
        return new Evaluation(m, summary);
    }

    /** {@code n} decoded prior samples {@code E[x|z]}, {@code z ~ N(0, I)}, as images. */
    @Override
    public Samples sample(int n, Generator random) {
        float[] px;
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            px = toFloat(vae.mean(vae.noise(tensors(), random, n)));
        }
        return new Samples.Images(px, n, height, width);
    }

    private static float[] toFloat(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? t.toFloatArray() : t.to(DType.FLOAT32).toFloatArray();
    }

    @Override
    public Optional<Scatter> scatter(Dataset data, int n, Generator random) {
        return Optional.empty();
    }

    @Override
    public Samples.Images reconstructions(Dataset data, int n) {
        requireFits(data);
        int m = Math.min(n, data.size());
        float[] out = new float[2 * m * vae.dim()];
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            Tensor x = images(data, Batches.sequential(m));
            System.arraycopy(toFloat(x), 0, out, 0, m * vae.dim());
            System.arraycopy(toFloat(vae.mean(vae.encode(x).mean())), 0, out, m * vae.dim(), m * vae.dim());
        }
        return new Samples.Images(out, 2 * m, height, width);
    }

    @Override
    public Samples.Images interpolations(Dataset data, int rows, int steps) {
        requireFits(data);
        int r = Math.min(rows, data.size() / 2);
        int latent = vae.config().latent();
        float[] out = new float[r * steps * vae.dim()];
        try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
            float[] codes = toFloat(vae.encode(images(data, Batches.sequential(2 * r))).mean());
            float[] path = new float[r * steps * latent];
            for (int i = 0; i < r; i++) {
                float[] a = java.util.Arrays.copyOfRange(codes, 2 * i * latent, (2 * i + 1) * latent);
                float[] b = java.util.Arrays.copyOfRange(codes, (2 * i + 1) * latent, (2 * i + 2) * latent);
                System.arraycopy(Interpolation.linear(a, b, steps), 0, path, i * steps * latent, steps * latent);
            }
            Tensor z = tensors().of(path, r * steps, latent);
            if (vae.config().dtype() != DType.FLOAT32) {
                z = z.to(vae.config().dtype());
            }
            System.arraycopy(toFloat(vae.mean(z)), 0, out, 0, out.length);
        }
        return new Samples.Images(out, r * steps, height, width);
    }

    @Override
    public Optional<LabelledPoints> latentCodes(Dataset data, int n) {
        requireFits(data);
        if (vae.config().latent() != 2 || !data.names().contains(Dataset.LABEL)) {
            return Optional.empty();
        }
        int m = Math.min(n, data.size());
        float[] xy = new float[2 * m];
        int[] labels = new int[m];
        int chunk = 1000;
        int[] order = Batches.sequential(m);
        for (int b = 0; b < Batches.count(m, chunk, false); b++) {
            int[] idx = Batches.batch(order, chunk, b);
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                var batch = data.batch(tensors(), idx);
                Tensor x = batch.get(Dataset.X);
                if (x.dtype() != vae.config().dtype()) {
                    x = x.to(vae.config().dtype());
                }
                System.arraycopy(toFloat(vae.encode(x).mean()), 0, xy, 2 * idx[0], 2 * idx.length);
                long[] l = batch.get(Dataset.LABEL).toLongArray();
                for (int i = 0; i < idx.length; i++) {
                    labels[idx[i]] = (int) l[i];
                }
            }
        }
        return Optional.of(new LabelledPoints("vae posterior means of " + m + " images", xy, labels,
                LabelledPoints.FASHION_MNIST_CLASSES));
    }

    @Override
    public void close() {
        vae.close();
    }
}
