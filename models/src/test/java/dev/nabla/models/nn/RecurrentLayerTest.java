package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.DTypeException;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.ShapeException;
import dev.nabla.models.nn.GradCheck.Input;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The recurrent sequence layers without PyTorch: a layer equals its cells stepped by hand, sequence by
 * sequence (which pins down the variable-length semantics independently of the golden files), its
 * gradients equal finite differences, dropout acts between layers in training only, the no-grad path
 * gives the same values with fewer live tensors, and every misuse gets a message naming the value.
 */
class RecurrentLayerTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));
    private static final RecurrentOptions F64 = RecurrentOptions.defaults().dtype(DType.FLOAT64);

    private Tensor values(int seed, int... dims) {
        return f.normal(new Generator(seed), 0, 1, Shape.of(dims), DType.FLOAT64);
    }

    @Test
    void parametersCarryPyTorchsNamesShapesAndInitialisation() {
        try (LSTM lstm = new LSTM(f, new Generator(1), 3, 4, F64.numLayers(2).bidirectional(true))) {
            assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                    "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                    "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                    "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                    List.copyOf(lstm.namedParameters().keySet()));
            Map<String, Tensor> p = lstm.namedParameters();
            assertEquals(Shape.of(16, 3), p.get("weight_ih_l0").shape());
            assertEquals(Shape.of(16, 8), p.get("weight_ih_l1_reverse").shape());
            assertEquals(Shape.of(16, 4), p.get("weight_hh_l1").shape());
            assertEquals(Shape.of(16), p.get("bias_hh_l0_reverse").shape());
            for (Tensor t : p.values()) {
                for (double v : t.toDoubleArray()) {
                    assertTrue(Math.abs(v) <= 0.5, "uniform in ±1/sqrt(4), got " + v);
                }
            }
            assertEquals(8, lstm.outputSize());
            assertEquals("LSTM(3, 4, num_layers=2, bidirectional=true)", lstm.toString());
        }
        try (GRU gru = new GRU(f, new Generator(1), 3, 2, F64.bias(false));
             RNN rnn = new RNN(f, new Generator(1), 3, 5, RNNCell.Nonlinearity.RELU, F64.batchFirst(true))) {
            assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.namedParameters().keySet()));
            assertEquals(Shape.of(6, 2), gru.namedParameters().get("weight_hh_l0").shape());
            assertEquals(Shape.of(5, 3), rnn.namedParameters().get("weight_ih_l0").shape());
            assertEquals("RNN(3, 5, nonlinearity=relu, batch_first=true)", rnn.toString());
        }
    }

    /**
     * Runs a one-layer bidirectional batch-first layer on a variable-length batch with initial states,
     * and each sequence alone through two cells made of the layer's parameters: forwards over its
     * valid steps, backwards from its own last valid step. Outputs past the length must be exactly zero.
     */
    private <S> void layerEqualsCellsByHand(RecurrentLayer<S> layer, BiFunction<String, Map<String, Tensor>,
            RecurrentCell<S>> cellOf, S initial, List<Tensor> initialTensors) {
        int batch = 3;
        int steps = 5;
        int hidden = layer.hiddenSize();
        int[] len = {3, 5, 1};
        Tensor x = values(11, batch, steps, layer.inputSize());
        RecurrentOutput<S> r = layer.forward(x, f.of(len, batch), initial);
        assertEquals(Shape.of(batch, steps, 2 * hidden), r.output().shape());
        double[] out = r.output().toDoubleArray();
        List<Tensor> finals = layer.stateTensors(r.state());
        Map<String, Tensor> p = layer.namedParameters();
        try (RecurrentCell<S> fwd = cellOf.apply("_l0", p); RecurrentCell<S> bwd = cellOf.apply("_l0_reverse", p)) {
            for (int b = 0; b < batch; b++) {
                for (int dir = 0; dir < 2; dir++) {
                    RecurrentCell<S> cell = dir == 0 ? fwd : bwd;
                    int k = dir;
                    int row = b;
                    S s = cell.stateOf(initialTensors.stream().map(t -> t.select(0, k).slice(0, row, row + 1)).toList());
                    for (int i = 0; i < len[b]; i++) {
                        int t = dir == 0 ? i : len[b] - 1 - i;
                        s = cell.step(x.select(0, b).slice(0, t, t + 1), s);
                        double[] h = cell.output(s).toDoubleArray();
                        for (int j = 0; j < hidden; j++) {
                            double got = out[(b * steps + t) * 2 * hidden + dir * hidden + j];
                            assertEquals(h[j], got, 1e-13, "output of sequence " + b + " step " + t + " dir " + dir);
                        }
                    }
                    List<Tensor> mine = cell.stateTensors(s);
                    for (int j = 0; j < mine.size(); j++) {
                        assertArrayEquals(mine.get(j).toDoubleArray(),
                                finals.get(j).select(0, k).select(0, b).toDoubleArray(), 1e-13,
                                "final state " + j + " of sequence " + b + " dir " + dir);
                    }
                }
                for (int t = len[b]; t < steps; t++) {
                    for (int j = 0; j < 2 * hidden; j++) {
                        assertEquals(0.0, out[(b * steps + t) * 2 * hidden + j], "padding is exactly zero");
                    }
                }
            }
        }
    }

    @Test
    void lstmEqualsItsCellSteppedByHandWithPackedSequenceSemantics() {
        Scope.run(() -> {
            try (LSTM lstm = new LSTM(f, new Generator(2), 3, 4, F64.bidirectional(true).batchFirst(true))) {
                Tensor h0 = values(3, 2, 3, 4);
                Tensor c0 = values(4, 2, 3, 4);
                layerEqualsCellsByHand(lstm, (s, p) -> new LSTMCell(p.get("weight_ih" + s), p.get("weight_hh" + s),
                        p.get("bias_ih" + s), p.get("bias_hh" + s)), new LSTMState(h0, c0), List.of(h0, c0));
            }
        });
    }

    @Test
    void gruAndRnnEqualTheirCellsSteppedByHand() {
        Scope.run(() -> {
            try (GRU gru = new GRU(f, new Generator(5), 2, 3, F64.bidirectional(true).batchFirst(true));
                 RNN rnn = new RNN(f, new Generator(6), 2, 3, RNNCell.Nonlinearity.TANH,
                         F64.bidirectional(true).batchFirst(true))) {
                Tensor h0 = values(7, 2, 3, 3);
                layerEqualsCellsByHand(gru, (s, p) -> new GRUCell(p.get("weight_ih" + s), p.get("weight_hh" + s),
                        p.get("bias_ih" + s), p.get("bias_hh" + s)), h0, List.of(h0));
                layerEqualsCellsByHand(rnn, (s, p) -> new RNNCell(p.get("weight_ih" + s), p.get("weight_hh" + s),
                        p.get("bias_ih" + s), p.get("bias_hh" + s), RNNCell.Nonlinearity.TANH), h0, List.of(h0));
            }
        });
    }

    @Test
    void aLargeBatchProjectedInBlocksOfStepsGivesWhatTheCellsGiveStepByStep() {
        // 50 sequences: the input projection runs in blocks of 128 / 50 = 2 steps (the last block partial)
        int batch = 50;
        int steps = 5;
        int[] len = new int[batch];
        for (int b = 0; b < batch; b++) {
            len[b] = 1 + (b * 7) % steps;
        }
        try (GRU gru = new GRU(f, new Generator(30), 2, 3, F64.bidirectional(true));
             Scope ignored = Scope.open()) {
            Tensor x = values(31, steps, batch, 2).requiresGrad(true);
            Tensor h0 = values(32, 2, batch, 3).requiresGrad(true);
            RecurrentOutput<Tensor> r = gru.forward(x, f.of(len, batch), h0);
            Map<String, Tensor> p = gru.namedParameters();
            Tensor[][] out = new Tensor[2][steps];
            Tensor[] last = new Tensor[2];
            for (int dir = 0; dir < 2; dir++) {
                String s = dir == 0 ? "_l0" : "_l0_reverse";
                {
                    // the layer's own parameters, not copies, so the gradients flow the same way
                    RecurrentCell<Tensor> cell = new CellOfLayer(p.get("weight_ih" + s), p.get("weight_hh" + s),
                            p.get("bias_ih" + s), p.get("bias_hh" + s));
                    Tensor h = h0.select(0, dir);
                    for (int i = 0; i < steps; i++) {
                        int t = dir == 0 ? i : steps - 1 - i;
                        boolean[] active = new boolean[batch];
                        for (int b = 0; b < batch; b++) {
                            active[b] = len[b] > t;
                        }
                        Tensor mask = f.of(active, batch);
                        Tensor next = cell.step(x.select(0, t), h);
                        out[dir][t] = Tensor.where(mask.reshape(batch, 1), next, f.scalar(0.0, DType.FLOAT64));
                        h = cell.where(mask, next, h);
                    }
                    last[dir] = h;
                }
            }
            List<Tensor> rows = new java.util.ArrayList<>();
            for (int t = 0; t < steps; t++) {
                rows.add(Tensor.concat(List.of(out[0][t], out[1][t]), 1));
            }
            Tensor byHand = Tensor.stack(rows, 0);
            assertArrayEquals(byHand.toDoubleArray(), r.output().toDoubleArray(), 1e-13);
            Tensor hn = Tensor.stack(List.of(last[0], last[1]), 0);
            assertArrayEquals(hn.toDoubleArray(), r.state().toDoubleArray(), 1e-13);
            Tensor weights = values(33, steps, batch, 6);
            List<Tensor> wrt = new java.util.ArrayList<>(gru.parameters());
            wrt.add(x);
            wrt.add(h0);
            List<Tensor> g1 = Autograd.grad(r.output().mul(weights).sum().add(r.state().sum()), wrt);
            List<Tensor> g2 = Autograd.grad(byHand.mul(weights).sum().add(hn.sum()), wrt);
            for (int i = 0; i < wrt.size(); i++) {
                assertArrayEquals(g2.get(i).toDoubleArray(), g1.get(i).toDoubleArray(), 1e-12, "gradient " + i);
            }
        }
    }

    @Test
    void gradientsOfInputsAndInitialStatesMatchFiniteDifferences() {
        int steps = 3;
        int batch = 2;
        Tensor lengths = f.of(new int[] {3, 2}, batch);
        try (GRU gru = new GRU(f, new Generator(8), 2, 2, F64.numLayers(2).bidirectional(true));
             LSTM lstm = new LSTM(f, new Generator(9), 2, 2, F64.bidirectional(true).batchFirst(true))) {
            Tensor r = values(10, steps, batch, 4);
            Tensor s = values(12, 4, batch, 2);
            GradCheck.check(f, List.of(new Input(values(13, steps, batch, 2).toDoubleArray(), steps, batch, 2),
                    new Input(values(14, 4, batch, 2).toDoubleArray(), 4, batch, 2)), in -> {
                        RecurrentOutput<Tensor> o = gru.forward(in.get(0), lengths, in.get(1));
                        return o.output().mul(r).sum().add(o.state().mul(s).sum());
                    });
            Tensor r2 = values(15, batch, steps, 4);
            Tensor s2 = values(16, 2, batch, 2);
            Tensor u2 = values(17, 2, batch, 2);
            GradCheck.check(f, List.of(new Input(values(18, batch, steps, 2).toDoubleArray(), batch, steps, 2),
                    new Input(values(19, 2, batch, 2).toDoubleArray(), 2, batch, 2),
                    new Input(values(20, 2, batch, 2).toDoubleArray(), 2, batch, 2)), in -> {
                        RecurrentOutput<LSTMState> o = lstm.forward(in.get(0), lengths,
                                new LSTMState(in.get(1), in.get(2)));
                        return o.output().mul(r2).sum().add(o.state().h().mul(s2).sum())
                                .add(o.state().c().mul(u2).sum());
                    });
        }
    }

    @Test
    void stepsPastALengthGetNoGradient() {
        try (LSTM lstm = new LSTM(f, new Generator(21), 2, 3, F64)) {
            Tensor x = values(22, 4, 2, 2).requiresGrad(true);
            RecurrentOutput<LSTMState> o = lstm.forward(x, f.of(new long[] {2, 4}, 2), null);
            Tensor loss = o.output().sum().add(o.state().h().sum()).add(o.state().c().sum());
            double[] g = Autograd.grad(loss, List.of(x)).getFirst().toDoubleArray();
            for (int t = 0; t < 4; t++) {
                for (int j = 0; j < 2; j++) {
                    double g0 = g[(t * 2) * 2 + j];
                    double g1 = g[(t * 2 + 1) * 2 + j];
                    assertTrue(g1 != 0, "sequence 1 is full length");
                    assertEquals(t < 2, g0 != 0, "sequence 0 at step " + t + ": gradient " + g0);
                }
            }
        }
    }

    @Test
    void dropoutActsBetweenLayersInTrainingOnly() {
        RecurrentOptions two = F64.numLayers(2);
        try (LSTM dropped = new LSTM(f, new Generator(23), 3, 4, two.dropout(0.5));
             LSTM plain = new LSTM(f, new Generator(24), 3, 4, two);
             LSTM single = new LSTM(f, new Generator(25), 3, 4, F64.dropout(0.5))) {
            plain.loadState(dropped.namedParameters());
            Tensor x = values(26, 5, 2, 3);
            RecurrentOutput<LSTMState> train = dropped.forward(x);
            dropped.eval();
            RecurrentOutput<LSTMState> eval = dropped.forward(x);
            RecurrentOutput<LSTMState> reference = plain.forward(x);
            assertArrayEquals(reference.output().toDoubleArray(), eval.output().toDoubleArray(), 0.0);
            // the first layer's final state does not see the dropout that follows it; the second's does
            assertArrayEquals(eval.state().h().select(0, 0).toDoubleArray(),
                    train.state().h().select(0, 0).toDoubleArray(), 0.0);
            assertFalse(java.util.Arrays.equals(eval.state().h().select(0, 1).toDoubleArray(),
                    train.state().h().select(0, 1).toDoubleArray()));
            // with one layer there is nothing between layers to drop
            assertTrue(single.children().isEmpty());
            assertArrayEquals(single.forward(x).output().toDoubleArray(),
                    ((LSTM) single.eval()).forward(x).output().toDoubleArray(), 0.0);
        }
    }

    @Test
    void withoutGradientRecordingTheSameValuesLeaveFewerTensorsBehind() {
        try (GRU gru = new GRU(f, new Generator(27), 3, 4, F64.bidirectional(true))) {
            Tensor x = values(28, 6, 2, 3);
            Tensor lengths = f.of(new int[] {6, 3}, 2);
            int recorded;
            double[] expected;
            try (Scope s = Scope.open()) {
                expected = gru.forward(x, lengths, null).output().toDoubleArray();
                recorded = s.size();
            }
            try (GradMode ignored = Autograd.noGrad(); Scope s = Scope.open()) {
                assertArrayEquals(expected, gru.forward(x, lengths, null).output().toDoubleArray(), 0.0);
                assertTrue(s.size() < recorded / 2, s.size() + " tensors left without recording, " + recorded
                        + " with");
            }
        }
    }

    @Test
    void float32OnTheNativeBackendAgreesWithFloat64OnTheReference() {
        TensorFactory nat = TensorFactory.on(Nabla.backend("native"));
        RecurrentOptions o = F64.numLayers(2).bidirectional(true).batchFirst(true);
        try (LSTM exact = new LSTM(f, new Generator(40), 3, 4, o);
             LSTM fast = new LSTM(nat, new Generator(41), 3, 4, o.dtype(DType.FLOAT32));
             Scope ignored = Scope.open()) {
            Map<String, Tensor> state = new java.util.LinkedHashMap<>();
            exact.namedParameters().forEach((k, v) -> state.put(k, nat.of(v.toFloatArray(), v.shape().dims())));
            fast.loadState(state);
            Tensor x = values(42, 3, 6, 3);
            Tensor lengths = f.of(new int[] {6, 2, 4}, 3);
            RecurrentOutput<LSTMState> a = exact.forward(x, lengths, null);
            RecurrentOutput<LSTMState> b;
            try (GradMode off = Autograd.noGrad()) {
                b = fast.forward(nat.of(x.toFloatArray(), 3, 6, 3), nat.of(new int[] {6, 2, 4}, 3), null);
            }
            assertEquals(DType.FLOAT32, b.output().dtype());
            assertArrayEquals(a.output().toDoubleArray(), b.output().toDoubleArray(), 1e-5);
            assertArrayEquals(a.state().h().toDoubleArray(), b.state().h().toDoubleArray(), 1e-5);
            assertArrayEquals(a.state().c().toDoubleArray(), b.state().c().toDoubleArray(), 1e-5);
        }
    }

    @Test
    void aDetachedFinalStateCarriesTheValuesIntoTheNextWindowButNoGradient() {
        try (LSTM lstm = new LSTM(f, new Generator(50), 2, 3, F64.numLayers(2))) {
            Tensor x = values(51, 6, 2, 2).requiresGrad(true);
            RecurrentOutput<LSTMState> whole = lstm.forward(x);
            RecurrentOutput<LSTMState> first = lstm.forward(x.slice(0, 0, 4));
            LSTMState carried = lstm.detach(first.state());
            assertFalse(carried.h().requiresGrad());
            RecurrentOutput<LSTMState> second = lstm.forward(x.slice(0, 4, 6), carried);
            // the same values as one pass over all six steps
            assertArrayEquals(whole.output().slice(0, 4, 6).toDoubleArray(), second.output().toDoubleArray(), 1e-14);
            assertArrayEquals(whole.state().c().toDoubleArray(), second.state().c().toDoubleArray(), 1e-14);
            // but the second window's loss reaches only its own steps
            double[] g = Autograd.grad(second.output().sum(), List.of(x)).getFirst().toDoubleArray();
            for (int i = 0; i < g.length; i++) {
                assertEquals(i < 4 * 2 * 2, g[i] == 0, "input element " + i + ": gradient " + g[i]);
            }
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheValue() {
        var layers = assertThrows(IllegalArgumentException.class, () -> F64.numLayers(0));
        assertEquals("recurrent layer: num_layers must be >= 1, got 0", layers.getMessage());
        var high = assertThrows(IllegalArgumentException.class, () -> F64.dropout(1.0));
        assertEquals("recurrent layer: dropout must be in [0, 1), got 1.0", high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F64.dropout(-0.1));
        assertThrows(IllegalArgumentException.class, () -> F64.dropout(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> F64.dtype(DType.INT32));
        var size = assertThrows(IllegalArgumentException.class, () -> new GRU(f, new Generator(1), 0, 2, F64));
        assertEquals("GRU: input and hidden sizes must be positive, got 0 and 2", size.getMessage());

        try (LSTM lstm = new LSTM(f, new Generator(1), 3, 2, F64.bidirectional(true))) {
            Tensor x = values(1, 4, 3, 3);
            var rank = assertThrows(ShapeException.class, () -> lstm.forward(values(1, 4, 3)));
            assertEquals("LSTM.forward: input must be [time, batch, 3] (time-first), got [4, 3]", rank.getMessage());
            var width = assertThrows(ShapeException.class, () -> lstm.forward(values(1, 4, 3, 5)));
            assertTrue(width.getMessage().contains("got [4, 3, 5]"), width.getMessage());
            var dtype = assertThrows(DTypeException.class, () -> lstm.forward(x.to(DType.FLOAT32)));
            assertTrue(dtype.getMessage().contains("float64"), dtype.getMessage());
            var zero = assertThrows(IllegalArgumentException.class,
                    () -> lstm.forward(x, f.of(new int[] {4, 0, 2}, 3), null));
            assertEquals("LSTM.forward: lengths[1] = 0 is out of range [1, 4] for 4 time steps", zero.getMessage());
            var over = assertThrows(IllegalArgumentException.class,
                    () -> lstm.forward(x, f.of(new long[] {4, 2, 5}, 3), null));
            assertTrue(over.getMessage().contains("lengths[2] = 5"), over.getMessage());
            var count = assertThrows(ShapeException.class, () -> lstm.forward(x, f.of(new int[] {4, 2}, 2), null));
            assertTrue(count.getMessage().contains("lengths must be int32 or int64 [3]")
                    && count.getMessage().contains("[2]"), count.getMessage());
            assertThrows(ShapeException.class, () -> lstm.forward(x, f.of(new double[] {4, 2, 1}, 3), null));
            var h0 = assertThrows(ShapeException.class, () -> lstm.forward(x,
                    new LSTMState(values(2, 1, 3, 2), values(3, 2, 3, 2))));
            assertEquals("LSTM.forward: initial h_0 must be [layers·directions, batch, hidden] = [2, 3, 2], got"
                    + " [1, 3, 2]", h0.getMessage());
            var c0 = assertThrows(ShapeException.class, () -> lstm.forward(x,
                    new LSTMState(values(2, 2, 3, 2), values(3, 2, 4, 2))));
            assertTrue(c0.getMessage().contains("initial c_0") && c0.getMessage().contains("[2, 4, 2]"),
                    c0.getMessage());
        }
    }

    @Test
    void cellsRefuseMisfitParametersAndStates() {
        var shapes = assertThrows(ShapeException.class, () -> new LSTMCell(values(1, 7, 3), values(2, 7, 7), null,
                null));
        assertTrue(shapes.getMessage().startsWith("LSTMCell: weight_ih must be [4·hidden, input]"), shapes.getMessage());
        assertThrows(ShapeException.class, () -> new GRUCell(values(1, 6, 3), values(2, 6, 2), values(3, 6), null));
        try (GRUCell gru = new GRUCell(f, new Generator(1), 3, 2, true, DType.FLOAT64);
             LSTMCell lstm = new LSTMCell(f, new Generator(1), 3, 2, true, DType.FLOAT64)) {
            var state = assertThrows(ShapeException.class, () -> gru.step(values(1, 4, 3), values(2, 3, 2)));
            assertEquals("GRUCell.step: state h must be [4, 2] for a batch of 4, got [3, 2]", state.getMessage());
            var input = assertThrows(ShapeException.class, () -> lstm.step(values(1, 4, 2), lstm.initialState(4)));
            assertEquals("LSTMCell.step: input must be [batch, 3], got [4, 2]", input.getMessage());
            var c = assertThrows(ShapeException.class, () -> lstm.step(values(1, 4, 3),
                    new LSTMState(values(2, 4, 2), values(3, 4, 3))));
            assertTrue(c.getMessage().contains("state c must be [4, 2]"), c.getMessage());
            assertThrows(IllegalArgumentException.class, () -> lstm.stateOf(List.of(values(1, 2))));
            assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
                    List.copyOf(lstm.namedParameters().keySet()));
            assertEquals(Shape.of(8, 3), lstm.namedParameters().get("weight_ih").shape());
        }
    }

    /** A GRU step on given parameter tensors (not copies), for comparing gradients with a layer's. */
    private record CellOfLayer(Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) implements RecurrentCell<Tensor> {
        @Override
        public Tensor step(Tensor input, Tensor h) {
            return GRUCell.gruPointwise(input.linear(wIh, bIh), h.linear(wHh, bHh), h);
        }

        @Override
        public Tensor initialState(int batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Tensor output(Tensor state) {
            return state;
        }

        @Override
        public List<Tensor> stateTensors(Tensor state) {
            return List.of(state);
        }

        @Override
        public Tensor stateOf(List<Tensor> tensors) {
            return tensors.getFirst();
        }

        @Override
        public int inputSize() {
            return wIh.dim(1);
        }

        @Override
        public int hiddenSize() {
            return wHh.dim(1);
        }

        @Override
        public Map<String, Tensor> namedParameters() {
            return Map.of();
        }
    }
}
