package dev.nabla.provider.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.Nabla;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training works on the TensorFlow backend: Nabla's autodiff, composed from TensorFlow kernels, trains a
 * tanh MLP by in-place SGD on two concentric rings, and the loss follows the reference backend's step
 * by step from the same seed (same initial parameters and data, drawn on the host). The reference backend is found through the
 * ServiceLoader, as a user would select it.
 */
class TrainingTest {
    private static final int STEPS = 150;

    /** The result of one training run. */
    private record Run(double[] losses, double accuracy, float[] firstLayer) {
    }

    /** Points on two noisy rings of radius 1 (class 0) and 2 (class 1), as [n, 2] and int64 labels. */
    private static Tensor[] rings(TensorFactory f, Generator gen, int n) {
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

    private static Run train(Backend backend, long seed) {
        TensorFactory f = TensorFactory.on(backend);
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
            data = rings(f, gen, 400);
            init.keep(data[0]);
            init.keep(data[1]);
        }
        List<Tensor> params = List.of(w1, b1, w2, b2);
        double[] losses = new double[STEPS];
        for (int step = 0; step < STEPS; step++) {
            try (Scope s = Scope.open()) {
                Tensor logits = data[0].matmul(w1).add(b1).tanh().matmul(w2).add(b2);
                Tensor loss = logits.logSoftmax(1).gather(1, data[1].unsqueeze(1)).mean().neg();
                for (Tensor p : params) {
                    p.zeroGrad();
                }
                loss.backward();
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -0.5);
                }
                losses[step] = loss.item();
            }
        }
        double accuracy;
        try (Scope s = Scope.open()) {
            Tensor predicted = data[0].matmul(w1).add(b1).tanh().matmul(w2).add(b2).argmax(1, false);
            accuracy = predicted.eq(data[1]).to(DType.FLOAT32).mean().item();
        }
        float[] first = w1.toFloatArray();
        params.forEach(Tensor::close);
        data[0].close();
        data[1].close();
        return new Run(losses, accuracy, first);
    }

    @Test
    void anMlpTrainsOnTensorflowToTheSameLossAsOnTheReference() {
        TensorflowBackend tf = (TensorflowBackend) new TensorflowBackendProvider().create();
        long handlesBefore = tf.liveHandles();
        Run onTf = train(tf, 11);
        Run onRef = train(Nabla.backend("reference"), 11);

        double first = onTf.losses()[0];
        double last = onTf.losses()[STEPS - 1];
        assertTrue(last < 0.3 * first, "tensorflow: loss " + first + " -> " + last);
        assertTrue(onTf.accuracy() > 0.95, "tensorflow: accuracy on the rings " + onTf.accuracy());
        // same initial loss (same parameters, same data), then the same trajectory within float32 drift
        assertEquals(onRef.losses()[0], first, 1e-6 * Math.abs(first), "initial loss");
        for (int step = 0; step < STEPS; step++) {
            double ref = onRef.losses()[step];
            assertEquals(ref, onTf.losses()[step], 1e-3 * Math.max(1.0, Math.abs(ref)),
                    "loss at step " + step + " (reference " + ref + ")");
        }
        assertEquals(onRef.accuracy(), onTf.accuracy(), 0.01, "accuracy");
        assertArrayEquals(onRef.firstLayer(), onTf.firstLayer(), 2e-3f, "trained first-layer weights");
        assertEquals(handlesBefore, tf.liveHandles(), "every handle of the run was released");
    }

    @Test
    void theSameSeedGivesTheSameParametersOnTensorflow() {
        TensorflowBackend tf = (TensorflowBackend) new TensorflowBackendProvider().create();
        Run a = train(tf, 3);
        Run b = train(tf, 3);
        assertArrayEquals(a.losses(), b.losses(), 0.0, "two runs with seed 3");
        assertArrayEquals(a.firstLayer(), b.firstLayer(), 0f);
    }
}
