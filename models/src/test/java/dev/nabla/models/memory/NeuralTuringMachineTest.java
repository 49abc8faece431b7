package dev.nabla.models.memory;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.data.Batch;
import dev.nabla.models.nn.LSTMState;
import dev.nabla.models.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole machine: one step's gradients against central finite differences in float64 (every input of
 * the step and entries of every parameter), weightings that sum to 1 at every step, a tiny machine that
 * learns to copy sequences of length 1 to 3, and bad input refused with the shapes.
 */
class NeuralTuringMachineTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("native"));

    private static Tensor gaussian(Generator g, double scale, int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = scale * g.nextGaussian();
        }
        return F.of(v, dims);
    }

    /** A scalar that depends on every output of the step, with fixed random coefficients. */
    private static Tensor probe(NeuralTuringMachine.Step s, List<Tensor> coefficients) {
        NeuralTuringMachine.State st = s.state();
        Tensor[] outs = {s.logits(), st.memory(), st.readWeights(), st.writeWeights(), st.read(), st.controller().h(),
                st.controller().c()};
        Tensor total = null;
        for (int i = 0; i < outs.length; i++) {
            Tensor term = outs[i].mul(coefficients.get(i)).sum();
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    @Test
    void oneStepsGradientsAgreeWithFiniteDifferencesInFloat64() {
        int batch = 2;
        int in = 3;
        int out = 2;
        int hidden = 4;
        int n = 5;
        int w = 3;
        Generator g = new Generator(11);
        try (NeuralTuringMachine ntm = new NeuralTuringMachine(F, new Generator(12), in, out, hidden, n, w, DType.FLOAT64)) {
            // the step's inputs: x, h, c, memory, previous weightings (positive, summing to 1), previous read
            List<Tensor> leaves = new ArrayList<>(List.of(gaussian(g, 1, batch, in), gaussian(g, 0.5, batch, hidden),
                    gaussian(g, 0.5, batch, hidden), gaussian(g, 1, batch, n, w), gaussian(g, 1, batch, n).softmax(1),
                    gaussian(g, 1, batch, n).softmax(1), gaussian(g, 1, batch, w)));
            List<Tensor> coefficients = List.of(gaussian(g, 1, batch, out), gaussian(g, 1, batch, n, w),
                    gaussian(g, 1, batch, n), gaussian(g, 1, batch, n), gaussian(g, 1, batch, w),
                    gaussian(g, 1, batch, hidden), gaussian(g, 1, batch, hidden));
            java.util.function.Function<List<Tensor>, Double> value = ts -> {
                try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                    return probe(step(ntm, ts), coefficients).item();
                }
            };
            List<Tensor> wrt = new ArrayList<>();
            for (Tensor l : leaves) {
                wrt.add(l.requiresGrad(true));
            }
            List<Tensor> params = new ArrayList<>(ntm.namedParameters().values());
            List<Tensor> all = new ArrayList<>(wrt);
            all.addAll(params);
            List<Tensor> grads = Autograd.grad(probe(step(ntm, wrt), coefficients), all);
            double eps = 1e-6;
            int checked = 0;
            for (int i = 0; i < leaves.size(); i++) {
                double[] base = leaves.get(i).toDoubleArray();
                double[] analytic = grads.get(i).toDoubleArray();
                for (int j = 0; j < base.length; j++) {
                    List<Tensor> plus = new ArrayList<>(leaves);
                    List<Tensor> minus = new ArrayList<>(leaves);
                    double[] p = base.clone();
                    p[j] += eps;
                    double[] m = base.clone();
                    m[j] -= eps;
                    plus.set(i, F.of(p, leaves.get(i).shape().dims()));
                    minus.set(i, F.of(m, leaves.get(i).shape().dims()));
                    double numeric = (value.apply(plus) - value.apply(minus)) / (2 * eps);
                    assertClose(numeric, analytic[j], "input " + i + " at " + j);
                    checked++;
                }
            }
            // parameters: a few entries of each, perturbed in place
            var names = new ArrayList<>(ntm.namedParameters().keySet());
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                double[] analytic = grads.get(leaves.size() + i).toDoubleArray();
                for (int k = 0; k < 4; k++) {
                    int j = (int) g.nextLong(analytic.length);
                    double[] d = new double[analytic.length];
                    d[j] = 1;
                    Tensor delta = F.of(d, p.shape().dims());
                    double vp;
                    double vm;
                    try (GradMode ignored = Autograd.noGrad()) {
                        p.addInPlace(delta, eps);
                        vp = value.apply(leaves);
                        p.addInPlace(delta, -2 * eps);
                        vm = value.apply(leaves);
                        p.addInPlace(delta, eps);
                    }
                    assertClose((vp - vm) / (2 * eps), analytic[j], names.get(i) + " at " + j);
                    checked++;
                }
            }
            assertTrue(checked > 100, "checked " + checked + " partial derivatives");
        }
    }

    private static void assertClose(double numeric, double analytic, String what) {
        assertTrue(Math.abs(numeric - analytic) <= 1e-6 + 1e-5 * Math.abs(numeric),
                what + ": autograd " + analytic + ", finite differences " + numeric);
    }

    private static NeuralTuringMachine.Step step(NeuralTuringMachine ntm, List<Tensor> ts) {
        return ntm.step(ts.get(0), new NeuralTuringMachine.State(new LSTMState(ts.get(1), ts.get(2)), ts.get(3), ts.get(4),
                ts.get(5), ts.get(6)));
    }

    @Test
    void theWeightingsSumToOneAtEveryStepAndTheStartIsLocationZero() {
        try (NeuralTuringMachine ntm = new NeuralTuringMachine(F, new Generator(3), CopyTask.CHANNELS, CopyTask.BITS, 16,
                10, 6, DType.FLOAT32);
             Scope s = Scope.open(); GradMode ignored = Autograd.noGrad()) {
            NeuralTuringMachine.State init = ntm.initialState(2);
            assertEquals(1.0, init.readWeights().toDoubleArray()[0]);
            assertEquals(NeuralTuringMachine.MEMORY_INIT, init.read().toDoubleArray()[0], 1e-12);
            Batch b = CopyTask.batch(F, CopyTask.draw(new Generator(4), 3, 5, 5));
            NeuralTuringMachine.Trace trace = ntm.trace(b.get(CopyTask.INPUT), true);
            assertEquals(List.of(3, 11, 10), List.of(trace.readWeights().dim(0), trace.readWeights().dim(1),
                    trace.readWeights().dim(2)));
            for (Tensor w : List.of(trace.readWeights(), trace.writeWeights())) {
                for (double sum : w.sum(2, false).toDoubleArray()) {
                    assertEquals(1.0, sum, 1e-5);
                }
                for (double x : w.toDoubleArray()) {
                    assertTrue(x >= 0);
                }
            }
            assertEquals(List.of(3, 11, 8), List.of(trace.logits().dim(0), trace.logits().dim(1), trace.logits().dim(2)));
        }
    }

    @Test
    void aTinyMachineLearnsToCopyShortSequences() {
        // controller 64, memory 6 x 6, batch 32, Adam 2e-2, sequences of length 1 to 3: about 0.1 bit errors
        // per sequence of length 3 after 600 steps (12 of 24 bits at the start)
        try (NeuralTuringMachine ntm = new NeuralTuringMachine(F, new Generator(5), CopyTask.CHANNELS, CopyTask.BITS, 64,
                6, 6, DType.FLOAT32)) {
            var objective = CopyModel.objective(ntm, 3, new CopyTask.Sequences(CopyTask.draw(new Generator(6), 64, 1, 3)));
            Adam adam = new Adam(ntm.namedParameters(), 2e-2);
            Generator random = new Generator(7);
            CopyTask.Sequences test = new CopyTask.Sequences(CopyTask.draw(new Generator(8), 128, 3, 3));
            double before = meanErrors(ntm, test);
            for (int step = 0; step < 600; step++) {
                try (Scope s = Scope.open()) {
                    adam.zeroGrad();
                    objective.loss(null, 32, random).backward();
                    adam.step();
                }
            }
            double after = meanErrors(ntm, test);
            assertTrue(before > 6, "an untrained machine gets about half of 24 bits wrong: " + before);
            assertTrue(after < 0.5, "bit errors per sequence of length 3: " + before + " -> " + after);
            assertTrue(objective.validationLoss(32, random) < 0.1, "validation loss per bit");
        }
    }

    private static double meanErrors(CopyNetwork net, CopyTask.Sequences test) {
        try (Scope s = Scope.open(); GradMode ignored = Autograd.noGrad()) {
            double sum = 0;
            for (double e : CopyModel.bitErrors(net, test.all(F))) {
                sum += e;
            }
            return sum / test.size();
        }
    }

    @Test
    void badInputIsRefusedNamingTheShapes() {
        try (NeuralTuringMachine ntm = new NeuralTuringMachine(F, new Generator(3), 9, 8, 4, 5, 3, DType.FLOAT32);
             Scope s = Scope.open()) {
            ShapeException e = assertThrows(ShapeException.class, () -> ntm.logits(F.zeros(2, 4, 7)));
            assertTrue(e.getMessage().contains("[2, 4, 7]") && e.getMessage().contains("9"), e.getMessage());
            ShapeException e2 = assertThrows(ShapeException.class, () -> ntm.step(F.zeros(3, 9), ntm.initialState(2)));
            assertTrue(e2.getMessage().contains("[3, 9]"), e2.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NeuralTuringMachine(F, new Generator(3), 9, 8, 4, 0, 3, DType.FLOAT32));
        assertTrue(e.getMessage().contains("memory 0 x 3"), e.getMessage());
    }

    @Test
    void bitErrorsCountTheWrongBitsOfTheOutputSteps() {
        // a "network" that outputs the target itself, with some bits flipped, scored against the batch
        List<byte[][]> seqs = CopyTask.draw(new Generator(9), 4, 3, 6);
        try (Scope s = Scope.open()) {
            Batch b = CopyTask.batch(F, seqs);
            Tensor target = b.get(CopyTask.TARGET);
            double[] flipped = target.toDoubleArray();
            int t = target.dim(1);
            int[] flips = {0, 1, 3, 2};
            for (int i = 0; i < seqs.size(); i++) {
                int length = seqs.get(i).length;
                for (int k = 0; k < flips[i]; k++) {
                    int idx = (i * t + length + 1 + k) * CopyTask.BITS + k;   // one bit of output step k
                    flipped[idx] = 1 - flipped[idx];
                }
                flipped[(i * t) * CopyTask.BITS] = 1;   // a wrong bit on an unscored input step does not count
            }
            Tensor logits = F.of(flipped, target.shape().dims()).mul(2).sub(1).mul(10).to(DType.FLOAT32);
            CopyNetwork fixed = new CopyNetwork() {
                @Override
                public Tensor logits(Tensor input) {
                    return logits;
                }

                @Override
                public Map<String, Tensor> namedParameters() {
                    return Map.of();
                }

                @Override
                public Map<String, Tensor> state() {
                    return Map.of();
                }

                @Override
                public void loadState(Map<String, Tensor> state) {
                }

                @Override
                public void close() {
                }
            };
            double[] errors = CopyModel.bitErrors(fixed, b);
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(flips[i], errors[i], 0, "sequence " + i);
            }
        }
    }
}
