package dev.nabla.models.train;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.flows.density.Sample;
import dev.nabla.models.flows.density.SamplingModel;
import dev.nabla.models.loss.Losses;
import dev.nabla.models.nn.Block;

/** A test density: {@code N(mean, diag(exp(logStd))²)} with both vectors trainable; samples by reparameterisation. */
final class DiagonalGaussian extends Block implements SamplingModel {
    private final Tensor mean;
    private final Tensor logStd;
    private final int d;

    DiagonalGaussian(TensorFactory f, float[] mean, float[] logStd) {
        this.d = mean.length;
        this.mean = parameter("mean", f.of(mean, d));
        this.logStd = parameter("log_std", f.of(logStd, d));
    }

    Tensor mean() {
        return mean;
    }

    Tensor logStd() {
        return logStd;
    }

    @Override
    public Tensor logProb(Tensor x) {
        return Losses.gaussianLogProbLogStd(x, mean, logStd);
    }

    @Override
    public Sample sampleWithLogProb(int n, Generator random) {
        Tensor eps = mean.factory().randn(random, n, d);
        Tensor x = eps.mul(logStd.exp()).add(mean);
        return new Sample(x, logProb(x));
    }
}
