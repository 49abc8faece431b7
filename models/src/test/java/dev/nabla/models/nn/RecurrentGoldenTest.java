package dev.nabla.models.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.models.checkpoint.SafeTensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * {@link RNN}, {@link LSTM}, {@link GRU}, {@link LSTMCell} and {@link GRUCell} against PyTorch 1.13 in
 * float64, on the reference and the native backends. Each file under {@code torch/} was written by
 * {@code scripts/torch-golden-rnn.py}: a PyTorch state dict under PyTorch's own keys (loaded here by name,
 * strictly), the inputs, and PyTorch's outputs, final states and every gradient of
 * {@code loss = Σ out ⊙ R + Σ h_n ⊙ S (+ Σ c_n ⊙ U)}. Everything must agree within {@code 1e-10}.
 */
class RecurrentGoldenTest {
    private static final double TOL = 1e-10;
    private static final List<String> BACKENDS = List.of("reference", "native");

    private static Path folder() {
        URL url = RecurrentGoldenTest.class.getResource("torch/lstm_cell.safetensors");
        assertNotNull(url, "the golden files under dev/nabla/models/nn/torch/ are missing from the test resources");
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> layerCases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".safetensors"))
                    .filter(p -> !p.getFileName().toString().contains("_cell")).sorted().toList()) {
                for (String b : BACKENDS) {
                    out.add(Arguments.of(p.getFileName().toString().replace(".safetensors", ""), b));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyCaseTheScriptWritesIsHere() throws IOException {
        // 4 modes × 8 layer cases + 2 cells: a file lost from the resources must not shrink the test silently
        try (Stream<Path> files = Files.list(folder())) {
            assertEquals(34, files.filter(p -> p.toString().endsWith(".safetensors")).count());
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("layerCases")
    void layerMatchesPyTorch(String name, String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open();
             SafeTensors.Contents file = SafeTensors.read(folder().resolve(name + ".safetensors"), f)) {
            Map<String, Tensor> t = file.tensors();
            Map<String, String> m = file.metadata();
            RecurrentOptions o = RecurrentOptions.defaults().dtype(DType.FLOAT64)
                    .numLayers(Integer.parseInt(m.get("num_layers")))
                    .bidirectional(Boolean.parseBoolean(m.get("bidirectional")))
                    .batchFirst(Boolean.parseBoolean(m.get("batch_first")))
                    .bias(Boolean.parseBoolean(m.get("bias")));
            int in = Integer.parseInt(m.get("input_size"));
            int hidden = Integer.parseInt(m.get("hidden_size"));
            String mode = m.get("mode");
            Generator g = new Generator(3);
            RecurrentLayer<?> layer = switch (mode) {
                case "rnn_tanh" -> new RNN(f, g, in, hidden, RNNCell.Nonlinearity.TANH, o);
                case "rnn_relu" -> new RNN(f, g, in, hidden, RNNCell.Nonlinearity.RELU, o);
                case "lstm" -> new LSTM(f, g, in, hidden, o);
                case "gru" -> new GRU(f, g, in, hidden, o);
                default -> throw new IllegalStateException(mode);
            };
            try (layer) {
                // the state dict under PyTorch's keys loads strictly: no key missing, none left over
                Map<String, Tensor> stateDict = new LinkedHashMap<>();
                t.forEach((k, v) -> {
                    if (k.startsWith("weight_") || k.startsWith("bias_")) {
                        stateDict.put(k, v);
                    }
                });
                layer.loadState(stateDict);
                assertEquals(List.copyOf(stateDict.keySet()), List.copyOf(layer.namedParameters().keySet()),
                        "parameter order is PyTorch's");

                Tensor x = t.get("input").requiresGrad(true);
                Tensor h0 = t.containsKey("h0") ? t.get("h0").requiresGrad(true) : null;
                Tensor c0 = t.containsKey("c0") ? t.get("c0").requiresGrad(true) : null;
                Tensor lengths = t.get("lengths");
                Tensor out;
                Tensor hn;
                Tensor cn = null;
                if (layer instanceof LSTM lstm) {
                    RecurrentOutput<LSTMState> r = lstm.forward(x, lengths, h0 == null ? null : new LSTMState(h0, c0));
                    out = r.output();
                    hn = r.state().h();
                    cn = r.state().c();
                } else {
                    @SuppressWarnings("unchecked")
                    RecurrentLayer<Tensor> plain = (RecurrentLayer<Tensor>) layer;
                    RecurrentOutput<Tensor> r = plain.forward(x, lengths, h0);
                    out = r.output();
                    hn = r.state();
                }
                close("output", t.get("output"), out);
                close("h_n", t.get("h_n"), hn);
                Tensor loss = out.mul(t.get("R")).sum().add(hn.mul(t.get("S")).sum());
                if (cn != null) {
                    close("c_n", t.get("c_n"), cn);
                    loss = loss.add(cn.mul(t.get("U")).sum());
                }
                assertEquals(t.get("loss").item(), loss.item(), TOL, "loss");

                List<String> names = new ArrayList<>(layer.namedParameters().keySet());
                List<Tensor> wrt = new ArrayList<>(layer.namedParameters().values());
                names.add("input");
                wrt.add(x);
                if (h0 != null) {
                    names.add("h0");
                    wrt.add(h0);
                }
                if (c0 != null) {
                    names.add("c0");
                    wrt.add(c0);
                }
                List<Tensor> grads = Autograd.grad(loss, wrt);
                for (int i = 0; i < names.size(); i++) {
                    close("grad." + names.get(i), t.get("grad." + names.get(i)), grads.get(i));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} cell on {1}")
    @MethodSource("cellCases")
    void cellMatchesPyTorch(String mode, String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open();
             SafeTensors.Contents file = SafeTensors.read(folder().resolve(mode + "_cell.safetensors"), f)) {
            Map<String, Tensor> t = file.tensors();
            Tensor x = t.get("input").requiresGrad(true);
            Tensor h0 = t.get("h0").requiresGrad(true);
            Tensor c0 = mode.equals("lstm") ? t.get("c0").requiresGrad(true) : null;
            Block cell;
            Tensor h1;
            Tensor loss;
            if (mode.equals("lstm")) {
                LSTMCell lstm = new LSTMCell(t.get("weight_ih"), t.get("weight_hh"), t.get("bias_ih"), t.get("bias_hh"));
                cell = lstm;
                LSTMState s = lstm.step(x, new LSTMState(h0, c0));
                h1 = s.h();
                close("c_n", t.get("c_n"), s.c());
                loss = h1.mul(t.get("S")).sum().add(s.c().mul(t.get("U")).sum());
            } else {
                GRUCell gru = new GRUCell(t.get("weight_ih"), t.get("weight_hh"), t.get("bias_ih"), t.get("bias_hh"));
                cell = gru;
                h1 = gru.step(x, h0);
                loss = h1.mul(t.get("S")).sum();
            }
            try (cell) {
                close("h_n", t.get("h_n"), h1);
                List<String> names = new ArrayList<>(cell.namedParameters().keySet());
                assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), names);
                List<Tensor> wrt = new ArrayList<>(cell.namedParameters().values());
                names.add("input");
                wrt.add(x);
                names.add("h0");
                wrt.add(h0);
                if (c0 != null) {
                    names.add("c0");
                    wrt.add(c0);
                }
                List<Tensor> grads = Autograd.grad(loss, wrt);
                for (int i = 0; i < names.size(); i++) {
                    close("grad." + names.get(i), t.get("grad." + names.get(i)), grads.get(i));
                }
            }
        }
    }

    static Stream<Arguments> cellCases() {
        return Stream.of("lstm", "gru").flatMap(m -> BACKENDS.stream().map(b -> Arguments.of(m, b)));
    }

    private static void close(String what, Tensor expected, Tensor actual) {
        assertNotNull(expected, what + " is missing from the file");
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(DType.FLOAT64, actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(e[i] - a[i]);
            if (!(d <= worst)) {
                worst = d;
                at = i;
            }
        }
        if (!(worst <= TOL)) {
            throw new AssertionFailedError(what + ": differs from PyTorch by " + worst + " at flat index " + at
                    + " (PyTorch " + e[at] + ", Nabla " + a[at] + ")", e[at], a[at]);
        }
        assertTrue(e.length > 0, what + " is empty");
    }
}
