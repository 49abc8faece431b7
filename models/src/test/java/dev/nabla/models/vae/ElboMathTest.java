package dev.nabla.models.vae;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VAE's mathematics against independent float64 computations: the gradient of the negative ELBO
 * through the reparameterisation against central finite differences (every decoder), the closed-form
 * KL against a Monte-Carlo estimate written as plain loops, and the importance-weighted bound — at
 * least the ELBO, growing with K, and below the exact log-likelihood, which a one-dimensional latent
 * space lets us compute by quadrature.
 */
class ElboMathTest {
    static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    /** A tiny float64 MLP VAE over 2x3 images. */
    static VariationalAutoencoder tiny(Decoder decoder, int latent, int hidden, long seed) {
        VaeConfig c = new VaeConfig(latent, hidden, 1, false, 4, decoder, 0.5, 1.0, 0, DType.FLOAT64);
        return new VariationalAutoencoder(F, new Generator(seed), c, 2, 3);
    }

    static Tensor images(Decoder decoder, int n, long seed) {
        Generator g = new Generator(seed);
        double[] v = new double[n * 6];
        for (int i = 0; i < v.length; i++) {
            v[i] = decoder.binary() ? (g.nextDouble() < 0.4 ? 1 : 0) : g.nextDouble();
        }
        return F.of(v, n, 6);
    }

    private static double loss(VariationalAutoencoder vae, Tensor x, Tensor eps) {
        try (GradMode ignored = Autograd.noGrad()) {
            return vae.elbo(x, eps).negativeElbo().mean().item();
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void theElboGradientThroughTheReparameterisationMatchesFiniteDifferences(Decoder decoder) {
        try (VariationalAutoencoder vae = tiny(decoder, 2, 5, 7)) {
            if (decoder == Decoder.GAUSSIAN_LEARNED) {   // away from 0, so its gradient is not a special case
                vae.namedParameters().get("log_sigma").assign(F.of(new double[] {-0.3, 0.2, 0.1, -0.5, 0.4, 0.0}, 6));
            }
            Tensor x = images(decoder, 4, 11);
            Tensor eps = F.normal(new Generator(3), 0, 1, Shape.of(4, 2), DType.FLOAT64);
            Tensor l = vae.elbo(x, eps).negativeElbo().mean();
            l.backward();
            int checked = 0;
            double h = 1e-6;
            for (Map.Entry<String, Tensor> e : vae.namedParameters().entrySet()) {
                Tensor p = e.getValue();
                double[] grad = p.grad().toDoubleArray();
                double[] v = p.toDoubleArray();
                for (int i = 0; i < v.length; i++) {
                    double keep = v[i];
                    v[i] = keep + h;
                    p.assign(F.of(v, p.shape().dims()));
                    double up = loss(vae, x, eps);
                    v[i] = keep - h;
                    p.assign(F.of(v, p.shape().dims()));
                    double down = loss(vae, x, eps);
                    v[i] = keep;
                    p.assign(F.of(v, p.shape().dims()));
                    double fd = (up - down) / (2 * h);
                    assertEquals(fd, grad[i], 1e-6 * Math.max(1, Math.abs(fd)), decoder + " " + e.getKey() + "[" + i + "]");
                    checked++;
                }
            }
            assertTrue(checked > 80, "checked " + checked + " entries");
            // the encoder's trunk is reached by the reconstruction term only through z = mu + sigma * eps
            assertTrue(Math.abs(vae.namedParameters().get("encoder.0.weight").grad().abs().sum().item()) > 0);
        }
    }

    @Test
    void theClosedFormKlMatchesAMonteCarloEstimate() {
        double[] mu = {0.7, -1.2, 0.1};
        double[] logVar = {-0.8, 0.5, 1.1};
        Posterior q = new Posterior(F.of(mu, 1, 3), F.of(logVar, 1, 3));
        double closed = q.klToStandardNormal().item();
        Generator g = new Generator(5);
        int n = 400_000;
        double sum = 0;
        double sq = 0;
        for (int s = 0; s < n; s++) {
            double logRatio = 0;   // log q(z) - log p(z), written out
            for (int j = 0; j < 3; j++) {
                double sigma = Math.exp(0.5 * logVar[j]);
                double z = mu[j] + sigma * g.nextGaussian();
                double logQ = -0.5 * Math.pow((z - mu[j]) / sigma, 2) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
                double logP = -0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
                logRatio += logQ - logP;
            }
            sum += logRatio;
            sq += logRatio * logRatio;
        }
        double mean = sum / n;
        double se = Math.sqrt((sq / n - mean * mean) / n);
        assertEquals(mean, closed, 4 * se, "closed form " + closed + " vs Monte Carlo " + mean + " ± " + se);
        assertEquals(0.5 * (0.49 + Math.exp(-0.8) - 1 + 0.8 + 1.44 + Math.exp(0.5) - 1 - 0.5 + 0.01 + Math.exp(1.1) - 1 - 1.1),
                closed, 1e-12, "the formula itself");
    }

    @Test
    void theLogDensityOfTheReparameterisedSampleIsTheGaussians() {
        Posterior q = new Posterior(F.of(new double[] {0.3, -0.4}, 1, 2), F.of(new double[] {0.2, -1.0}, 1, 2));
        Tensor eps = F.of(new double[] {1.5, -0.25}, 1, 2);
        double expect = 0;
        double[] z = q.sample(eps).toDoubleArray();
        double[] m = {0.3, -0.4};
        double[] lv = {0.2, -1.0};
        for (int j = 0; j < 2; j++) {
            expect += -0.5 * (z[j] - m[j]) * (z[j] - m[j]) / Math.exp(lv[j]) - 0.5 * lv[j] - 0.5 * Math.log(2 * Math.PI);
        }
        assertEquals(expect, q.logDensityAt(eps).item(), 1e-12);
    }

    /** log p(x) of a one-dimensional latent space by quadrature over z in [-12, 12]. */
    private static double exactLogLikelihood(VariationalAutoencoder vae, Tensor x) {
        int n = 24_001;
        double dz = 24.0 / (n - 1);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = -12 + i * dz;
        }
        double[] terms;
        try (GradMode ignored = Autograd.noGrad()) {
            Tensor zs = F.of(z, n, 1);
            terms = vae.logLikelihood(x.broadcastTo(n, 6), vae.decode(zs)).add(Posterior.standardNormalLogDensity(zs))
                    .toDoubleArray();
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double t : terms) {
            max = Math.max(max, t);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (i == 0 || i == n - 1 ? 0.5 : 1) * Math.exp(terms[i] - max);
        }
        return max + Math.log(sum * dz);
    }

    private static double meanBound(VariationalAutoencoder vae, Tensor x, int k, int repeats, Generator g) {
        double s = 0;
        for (int r = 0; r < repeats; r++) {
            s += vae.importanceWeightedBound(x, k, g)[0];
        }
        return s / repeats;
    }

    @Test
    void theImportanceWeightedBoundIsAtLeastTheElboGrowsWithKAndStaysBelowLogLikelihood() {
        try (VariationalAutoencoder vae = tiny(Decoder.BERNOULLI, 1, 8, 3)) {
            try (GradMode ignored = Autograd.noGrad()) {   // a decoder that depends on z, a posterior too wide
                vae.namedParameters().forEach((name, p) -> {
                    if (name.startsWith("decoder.")) {
                        p.assign(p.mul(4));
                    }
                });
                Tensor b = vae.namedParameters().get("logvar.bias");
                b.assign(b.add(1.5));
            }
            Tensor x = images(Decoder.BERNOULLI, 1, 21);
            double logP = exactLogLikelihood(vae, x);
            Generator g = new Generator(9);
            double elbo;
            try (GradMode ignored = Autograd.noGrad()) {
                elbo = -vae.elbo(x.broadcastTo(50_000, 6), g).negativeElbo().mean().item();
            }
            double l1 = meanBound(vae, x, 1, 4000, g);
            double l10 = meanBound(vae, x, 10, 1000, g);
            double l100 = meanBound(vae, x, 100, 200, g);
            double l1000 = meanBound(vae, x, 1000, 40, g);
            String all = "ELBO " + elbo + ", L1 " + l1 + ", L10 " + l10 + ", L100 " + l100 + ", L1000 " + l1000
                    + ", log p(x) " + logP;
            assertTrue(logP - elbo > 0.05, "a random encoder leaves a gap to close: " + all);
            assertEquals(elbo, l1, 0.05 * (logP - elbo) + 0.02, "L_1 is the ELBO: " + all);
            assertTrue(l10 > l1 && l100 > l10 && l1000 > l100, "L_K grows with K: " + all);
            assertTrue(l1000 <= logP + 1e-3, "L_K is a lower bound: " + all);
            assertTrue(logP - l1000 < 0.2 * (logP - elbo), "L_1000 closes most of the gap: " + all);
        }
    }

    @Test
    void theKlWeightWarmsUpLinearlyToBeta() {
        VaeConfig c = new VaeConfig(2, 4, 1, false, 4, Decoder.BERNOULLI, 0.1, 0.5, 100, DType.FLOAT64);
        try (VariationalAutoencoder vae = new VariationalAutoencoder(F, new Generator(1), c, 2, 3)) {
            assertEquals(0.005, vae.klWeight(1), 1e-15);
            assertEquals(0.25, vae.klWeight(50), 1e-15);
            assertEquals(0.5, vae.klWeight(100), 1e-15);
            assertEquals(0.5, vae.klWeight(10_000), 1e-15);
            assertEquals(1, vae.nextStep());
            assertEquals(2, vae.nextStep());
            assertTrue(vae.state().containsKey("warmup_step"), "the step count is checkpointed: " + vae.state().keySet());
        }
    }
}
