package dev.nabla.models.vae;

import dev.nabla.api.nn.Layer;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.models.nn.Activation;
import dev.nabla.models.nn.Block;
import dev.nabla.models.nn.Conv2d;
import dev.nabla.models.nn.ConvTranspose2d;
import dev.nabla.models.nn.Linear;
import dev.nabla.models.nn.Reshape;
import dev.nabla.models.nn.Sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * A variational autoencoder (Kingma and Welling, 2014) over flattened images of {@code D} pixels: an
 * encoder {@code q_φ(z|x) = N(μ(x), diag σ²(x))} (a shared trunk, then linear heads {@code mu} and
 * {@code logvar}), the prior {@code p(z) = N(0, I)} and a decoder {@code p_θ(x|z)} ({@link Decoder}). It
 * is trained on the negative evidence lower bound
 * <pre>
 *   −ELBO(x) = −E_{q_φ(z|x)}[log p_θ(x|z)] + KL(q_φ(z|x) ‖ N(0, I))
 * </pre>
 * estimated with one reparameterised sample {@code z = μ + σ ⊙ ε} (so gradients reach {@code φ}) and the
 * closed-form KL ({@link Posterior}); {@link #elbo} returns the two terms, {@code recon} and {@code kl}.
 * The importance-weighted bound (Burda et al., 2016) is, with {@code z_k ~ q_φ(z|x)},
 * <pre>
 *   L_K(x) = log (1/K) Σ_k p_θ(x|z_k)·p(z_k) / q_φ(z_k|x)   ≤ log p_θ(x),   L_1 = ELBO,  L_K ↑ in K
 * </pre>
 * ({@link #importanceWeightedBound}), the test log-likelihood estimate.
 *
 * <p>Two shapes: an MLP ({@code layers} hidden layers of {@code hidden} units, ReLU, mirrored in the
 * decoder — {@code 784-512-512-(20+20)} and {@code 20-512-512-784}), and a convolutional one for
 * {@code height × width} images with both divisible by 4: two stride-2 {@code 4×4} convolutions
 * ({@code channels}, {@code 2·channels}), a linear layer of {@code hidden} units, the heads; the decoder
 * mirrors it with two stride-2 transposed convolutions. Parameter names: {@code encoder.*},
 * {@code mu.*}, {@code logvar.*}, {@code decoder.*}, and {@code log_sigma} for a learned variance.
 */
public final class VariationalAutoencoder extends Block {
    /** The most samples of {@code z} one forward pass of the IW bound decodes. */
    static final int ROWS_PER_PASS = 4096;

    private final VaeConfig config;
    private final int dim;
    private final Sequential encoder;
    private final Linear mu;
    private final Linear logVar;
    private final Sequential decoder;
    private final Tensor logSigma;
    private final Tensor warmupStep;

    /**
     * A freshly initialised VAE.
     *
     * @param f      where to allocate
     * @param random the initial parameters' generator
     * @param config the shape
     * @param height the image height (for the convolutional shape)
     * @param width  the image width
     * @throws IllegalArgumentException if the convolutional shape does not fit the image
     */
    public VariationalAutoencoder(TensorFactory f, Generator random, VaeConfig config, int height, int width) {
        this.config = config;
        this.dim = height * width;
        DType dtype = config.dtype();
        if (config.conv()) {
            if (height % 4 != 0 || width % 4 != 0 || dtype != DType.FLOAT32) {
                throw new IllegalArgumentException("vae: conv=true needs float32 images whose sides are divisible by 4, got "
                        + height + "x" + width + " " + dtype);
            }
            int c = config.channels();
            int h4 = height / 4;
            int w4 = width / 4;
            int flat = 2 * c * h4 * w4;
            encoder = child("encoder", new Sequential(new Reshape(1, height, width),
                    new Conv2d(f, random, 1, c, 4, 2, 1), Activation.of("relu"),
                    new Conv2d(f, random, c, 2 * c, 4, 2, 1), Activation.of("relu"),
                    new Reshape(flat), new Linear(f, random, flat, config.hidden()), Activation.of("relu")));
            mu = child("mu", new Linear(f, random, config.hidden(), config.latent()));
            logVar = child("logvar", new Linear(f, random, config.hidden(), config.latent()));
            decoder = child("decoder", new Sequential(new Linear(f, random, config.latent(), config.hidden()),
                    Activation.of("relu"), new Linear(f, random, config.hidden(), flat), Activation.of("relu"),
                    new Reshape(2 * c, h4, w4), new ConvTranspose2d(f, random, 2 * c, c, 4, 2, 1, 0), Activation.of("relu"),
                    new ConvTranspose2d(f, random, c, 1, 4, 2, 1, 0), new Reshape(dim)));
        } else {
            encoder = child("encoder", mlp(f, random, dim, config.hidden(), config.layers(), dtype, true));
            mu = child("mu", new Linear(f, random, config.hidden(), config.latent(), true, dtype));
            logVar = child("logvar", new Linear(f, random, config.hidden(), config.latent(), true, dtype));
            Sequential d = mlp(f, random, config.latent(), config.hidden(), config.layers(), dtype, true);
            d.add(new Linear(f, random, config.hidden(), dim, true, dtype));
            decoder = child("decoder", d);
        }
        logSigma = config.decoder() == Decoder.GAUSSIAN_LEARNED
                ? parameter("log_sigma", f.zeros(Shape.of(dim), dtype)) : null;
        warmupStep = config.warmup() > 0 ? buffer("warmup_step", f.zeros(Shape.of(1), DType.FLOAT64)) : null;
    }

    /** {@code layers} linear layers of {@code hidden} units from {@code in}, each followed by a ReLU. */
    private static Sequential mlp(TensorFactory f, Generator random, int in, int hidden, int layers, DType dtype,
            boolean lastActivation) {
        List<Layer> l = new ArrayList<>();
        int width = in;
        for (int i = 0; i < layers; i++) {
            l.add(new Linear(f, random, width, hidden, true, dtype));
            if (i + 1 < layers || lastActivation) {
                l.add(Activation.of("relu"));
            }
            width = hidden;
        }
        return new Sequential(l);
    }

    /** The shape and the objective's settings. */
    public VaeConfig config() {
        return config;
    }

    /** Pixels per image, {@code D}. */
    public int dim() {
        return dim;
    }

    /** {@code q_φ(z|x)} for {@code x [batch, D]}. */
    public Posterior encode(Tensor x) {
        Tensor h = encoder.forward(x);
        return new Posterior(mu.forward(h), logVar.forward(h));
    }

    /** The decoder's output {@code f(z)} ({@code [batch, D]}): logits, or the Gaussian mean before its sigmoid. */
    public Tensor decode(Tensor z) {
        return decoder.forward(z);
    }

    /** The pixel means {@code E[x|z]} in {@code [0, 1]}: {@code sigmoid(f(z))} for every decoder. */
    public Tensor mean(Tensor z) {
        return decode(z).sigmoid();
    }

    /** {@code log p_θ(x|z)} per example ({@code [batch]}) from the decoder output {@code out = f(z)}. */
    public Tensor logLikelihood(Tensor x, Tensor out) {
        return switch (config.decoder()) {
            case BERNOULLI -> x.mul(out).sub(out.softplus()).sum(1, false);
            case GAUSSIAN -> {
                double s = config.sigma();
                yield x.sub(out.sigmoid()).square().sum(1, false).mul(-1 / (2 * s * s))
                        .sub(dim * (Math.log(s) + 0.5 * Posterior.LOG_2PI));
            }
            case GAUSSIAN_LEARNED -> {
                Tensor ls = logSigma.clamp(-6, 2);
                yield x.sub(out.sigmoid()).square().mul(ls.mul(-2).exp()).mul(0.5).add(ls).sum(1, false)
                        .add(0.5 * dim * Posterior.LOG_2PI).neg();
            }
        };
    }

    /**
     * The two terms of the negative ELBO.
     *
     * @param recon {@code −log p_θ(x|z)} at the sampled {@code z}, per example {@code [batch]}
     * @param kl    {@code KL(q_φ(z|x) ‖ N(0, I))} per example {@code [batch]}
     */
    public record Terms(Tensor recon, Tensor kl) {
        /** {@code recon + kl}, the negative ELBO per example. */
        public Tensor negativeElbo() {
            return recon.add(kl);
        }
    }

    /** The ELBO's terms for {@code x [batch, D]} with the noise {@code eps [batch, latent]}. */
    public Terms elbo(Tensor x, Tensor eps) {
        Posterior q = encode(x);
        Tensor z = q.sample(eps);
        return new Terms(logLikelihood(x, decode(z)).neg(), q.klToStandardNormal());
    }

    /** As {@link #elbo(Tensor, Tensor)} with {@code ε} drawn from {@code random}. */
    public Terms elbo(Tensor x, Generator random) {
        return elbo(x, noise(x.factory(), random, x.dim(0)));
    }

    /** {@code ε ~ N(0, I)}, {@code [rows, latent]}, in the model's dtype. */
    Tensor noise(TensorFactory f, Generator random, int rows) {
        return f.normal(random, 0, 1, Shape.of(rows, config.latent()), config.dtype());
    }

    /**
     * The importance-weighted bound {@code L_K(x)} per example of {@code x [batch, D]} (see the class
     * comment), in nats, without recording gradients: the log-weights are computed in the model's dtype,
     * at most {@link #ROWS_PER_PASS} samples at a time, and averaged in float64 (log-sum-exp).
     *
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public double[] importanceWeightedBound(Tensor x, int k, Generator random) {
        if (k < 1) {
            throw new IllegalArgumentException("vae: the importance-weighted bound needs K >= 1, got " + k);
        }
        TensorFactory f = x.factory();
        int batch = x.dim(0);
        double[] bound = new double[batch];
        try (GradMode ignored = Autograd.noGrad()) {
            for (int i = 0; i < batch; i++) {
                double max = Double.NEGATIVE_INFINITY;
                double sum = 0;   // Σ exp(log w − max), rescaled when max grows
                for (int start = 0; start < k; start += ROWS_PER_PASS) {
                    int m = Math.min(ROWS_PER_PASS, k - start);
                    double[] logW;
                    try (Scope s = Scope.open()) {
                        Tensor xi = x.slice(0, i, i + 1);
                        Posterior q = encode(xi);
                        Tensor eps = noise(f, random, m);
                        Tensor z = q.mean().add(q.logVar().mul(0.5).exp().mul(eps));
                        Tensor xs = xi.broadcastTo(m, x.dim(1));
                        Tensor logLik = logLikelihood(xs, decode(z));
                        Tensor logQ = eps.square().add(q.logVar()).sum(1, false).mul(-0.5)
                                .sub(0.5 * config.latent() * Posterior.LOG_2PI);
                        logW = logLik.add(Posterior.standardNormalLogDensity(z)).sub(logQ).toDoubleArray();
                    }
                    for (double w : logW) {
                        if (w > max) {
                            sum = sum * Math.exp(max - w) + 1;
                            max = w;
                        } else {
                            sum += Math.exp(w - max);
                        }
                    }
                }
                bound[i] = max + Math.log(sum) - Math.log(k);
            }
        }
        return bound;
    }

    /**
     * The KL weight of training step {@code step} (1-based): {@code β·min(1, step / warmup)} with a
     * warm-up, {@code β} without.
     */
    public double klWeight(long step) {
        return config.warmup() > 0 ? config.beta() * Math.min(1.0, (double) step / config.warmup()) : config.beta();
    }

    /**
     * Counts one training step and returns its number (1-based). The count is a buffer
     * ({@code warmup_step}), so checkpoints keep it and a resumed warm-up goes on where it was; without a
     * warm-up nothing is counted and 0 is returned.
     */
    long nextStep() {
        if (warmupStep == null) {
            return 0;
        }
        try (GradMode ignored = Autograd.noGrad()) {
            warmupStep.addInPlace(Tensor.onesLike(warmupStep), 1.0);
            return Math.round(warmupStep.item());
        }
    }

    @Override
    public String toString() {
        return "VariationalAutoencoder(" + config + ", dim " + dim + ")";
    }
}
