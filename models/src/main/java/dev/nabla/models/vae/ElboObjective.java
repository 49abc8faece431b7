package dev.nabla.models.vae;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.data.Batches;
import dev.nabla.models.data.Dataset;
import dev.nabla.models.nn.Stochastic;
import dev.nabla.models.train.Loss;
import dev.nabla.models.train.Objective;

import java.util.Map;

/**
 * The VAE's training objective: over a batch {@code B},
 * <pre>
 *   L = (1/B) Σ_i [ −log p_θ(x_i|z_i) + w_t · KL(q_φ(z|x_i) ‖ N(0, I)) ],   z_i = μ(x_i) + σ(x_i) ⊙ ε_i,
 *   w_t = β · min(1, t / warmup)   (w_t = β without a warm-up)
 * </pre>
 * (at {@code β = 1} the negative ELBO), reported with its parts {@code recon} (the batch mean of
 * {@code −log p_θ(x|z)}) and {@code kl} (the batch mean of the KL, unweighted). {@code ε} is drawn from
 * the loop's sampling generator, so a resumed run draws the same noise. The validation loss is the mean
 * negative ELBO ({@code β = 1}) over the validation set.
 */
public final class ElboObjective implements Objective {
    private final VariationalAutoencoder vae;
    private final Dataset train;
    private final Dataset validation;
    private final TensorFactory f;

    /**
     * @param vae        the model
     * @param train      the training images ({@code [D]} each)
     * @param validation the held-out images, or null
     */
    public ElboObjective(VariationalAutoencoder vae, Dataset train, Dataset validation) {
        if (train.size() < 1) {
            throw new IllegalArgumentException("vae: the training set is empty");
        }
        this.vae = vae;
        this.train = train;
        this.validation = validation;
        this.f = vae.namedParameters().values().iterator().next().factory();
    }

    private Tensor images(Dataset d, int[] indices) {
        Tensor x = d.batch(f, indices).get(Dataset.X);
        return vae.config().dtype() == DType.FLOAT32 ? x : x.to(vae.config().dtype());
    }

    @Override
    public int trainingSize() {
        return train.size();
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        return lossWithParts(batch, batchSize, random).value();
    }

    @Override
    public Loss lossWithParts(int[] batch, int batchSize, Generator random) {
        Tensor x = images(train, batch);
        VariationalAutoencoder.Terms t = vae.elbo(x, random);
        Tensor recon = t.recon().mean();
        Tensor kl = t.kl().mean();
        double w = vae.klWeight(vae.nextStep());
        Tensor value = w == 1.0 ? recon.add(kl) : recon.add(kl.mul(w));
        return Loss.of(value).with("recon", recon).with("kl", kl);
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        return validation == null || validation.size() == 0 ? Double.NaN : meanNegativeElbo(vae, validation, batchSize, random)[0];
    }

    /**
     * The means of the negative ELBO, of {@code recon} and of {@code kl} over {@code data} (one sample of
     * {@code z} per image from {@code random}), in batches, summed in float64. Call it without recording
     * gradients.
     */
    static double[] meanNegativeElbo(VariationalAutoencoder vae, Dataset data, int batchSize, Generator random) {
        TensorFactory f = vae.namedParameters().values().iterator().next().factory();
        double recon = 0;
        double kl = 0;
        for (int b = 0; b < Batches.count(data.size(), batchSize, false); b++) {
            int from = b * batchSize;
            int to = Math.min(data.size(), from + batchSize);
            try (Scope s = Scope.open()) {
                Tensor x = data.batch(f, java.util.stream.IntStream.range(from, to).toArray()).get(Dataset.X);
                if (x.dtype() != vae.config().dtype()) {
                    x = x.to(vae.config().dtype());
                }
                VariationalAutoencoder.Terms t = vae.elbo(x, random);
                recon += t.recon().to(DType.FLOAT64).sum().item();
                kl += t.kl().to(DType.FLOAT64).sum().item();
            }
        }
        int n = data.size();
        return new double[] {(recon + kl) / n, recon / n, kl / n};
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
    public void loadState(Map<String, Tensor> values) {
        vae.loadState(values);
    }

    @Override
    public Map<String, Stochastic> randomSources() {
        return Stochastic.find(vae);
    }

    @Override
    public void train(boolean training) {
        vae.train(training);
    }

    @Override
    public TensorFactory tensors() {
        return f;
    }
}
