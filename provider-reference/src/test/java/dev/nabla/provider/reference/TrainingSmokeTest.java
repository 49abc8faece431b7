package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * End to end through the api on the reference backend: a two-layer network trained by plain SGD
 * (parameters updated in place from their accumulated gradients) learns two concentric rings, which
 * no linear model can separate; and the same seed gives bit-identical parameters.
 */
class TrainingSmokeTest {
    private final TensorFactory f = TensorFactory.on(new ReferenceBackendProvider().create());

    /** Points on two noisy rings of radius 1 (class 0) and 2 (class 1), as [n, 2] and int64 labels. */
    private Tensor[] rings(Generator gen, int n) {
        float[] xy = new float[2 * n];
        long[] label = new long[n];
        for (int i = 0; i < n; i++) {
            label[i] = i % 2;
            double r = (label[i] == 0 ? 1.0 : 2.0) + 0.15 * gen.nextGaussian();
            double a = 2 * Math.PI * gen.nextDouble();
            xy[2 * i] = (float) (r * Math.cos(a));
            xy[2 * i + 1] = (float) (r * Math.sin(a));
        }
        return new Tensor[] {f.of(xy, n, 2), f.of(label, n)};
    }

    private float[][] train(long seed) {
        Generator gen = new Generator(seed);
        Tensor w1;
        Tensor b1;
        Tensor w2;
        Tensor b2;
        Tensor[] data;
        try (Scope init = Scope.open()) {
            w1 = f.normal(gen, 0, 1.0, Shape.of(2, 32), DType.FLOAT32).toParameter();
            b1 = f.zeros(32).toParameter();
            w2 = f.normal(gen, 0, 0.2, Shape.of(32, 2), DType.FLOAT32).toParameter();
            b2 = f.zeros(2).toParameter();
            data = rings(gen, 400);
            init.keep(data[0]);
            init.keep(data[1]);
        }
        List<Tensor> params = List.of(w1, b1, w2, b2);
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        for (int step = 0; step < 300; step++) {
            try (Scope s = Scope.open()) {
                Tensor logits = data[0].matmul(w1).add(b1).tanh().matmul(w2).add(b2);
                // cross-entropy: -mean log softmax(logits)[label]
                Tensor loss = logits.logSoftmax(1).gather(1, data[1].unsqueeze(1)).mean().neg();
                for (Tensor p : params) {
                    p.zeroGrad();
                }
                loss.backward();
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -0.5);
                }
                double l = loss.item();
                if (step == 0) {
                    firstLoss = l;
                }
                lastLoss = l;
            }
        }
        double accuracy;
        try (Scope s = Scope.open()) {
            Tensor predicted = data[0].matmul(w1).add(b1).tanh().matmul(w2).add(b2).argmax(1, false);
            accuracy = predicted.eq(data[1]).to(DType.FLOAT32).mean().item();
        }
        assertTrue(lastLoss < 0.25 * firstLoss, "loss " + firstLoss + " -> " + lastLoss);
        assertTrue(accuracy > 0.95, "accuracy on the rings " + accuracy);
        float[][] result = params.stream().map(Tensor::toFloatArray).toArray(float[][]::new);
        params.forEach(Tensor::close);
        data[0].close();
        data[1].close();
        return result;
    }

    @Test
    void aSmallNetworkLearnsTheRingsAndTheSameSeedGivesTheSameParameters() {
        float[][] first = train(11);
        float[][] again = train(11);
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], again[i], 0f, "parameter " + i + " differs between two runs with seed 11");
        }
    }
}
