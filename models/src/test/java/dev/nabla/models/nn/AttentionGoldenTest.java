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
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * {@link MultiheadAttention}, {@link TransformerEncoderLayer}, {@link TransformerDecoderLayer},
 * {@link TransformerEncoder} and {@link TransformerDecoder} against PyTorch 1.13 in float64, on the
 * reference and the native backends. Each file under {@code torch/attention/} was written by
 * {@code scripts/torch-golden-attention.py}: a PyTorch state dict under PyTorch's own keys (loaded here by
 * name, strictly), the inputs and masks (PyTorch's conventions: bool true = padding / not allowed, or
 * additive float), and PyTorch's outputs, attention weights and every gradient of
 * {@code loss = Σ out ⊙ R (+ Σ weights ⊙ W)}. Everything must agree within {@code 1e-10}.
 */
class AttentionGoldenTest {
    private static final double TOL = 1e-10;
    private static final List<String> BACKENDS = List.of("reference", "native");
    private static final Set<String> INPUTS = Set.of("query", "key", "value", "src", "tgt", "memory");
    private static final Set<String> NOT_STATE = Set.of("query", "key", "value", "src", "tgt", "memory",
            "key_padding_mask", "attn_mask", "src_mask", "src_key_padding_mask", "tgt_mask", "memory_mask",
            "tgt_key_padding_mask", "memory_key_padding_mask", "output", "weights", "R", "W", "loss");

    private static Path folder() {
        URL url = AttentionGoldenTest.class.getResource("torch/attention/mha_causal.safetensors");
        assertNotNull(url, "the golden files under dev/nabla/models/nn/torch/attention/ are missing from the test resources");
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder())) {
            for (Path p : files.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList()) {
                for (String b : BACKENDS) {
                    out.add(Arguments.of(p.getFileName().toString().replace(".safetensors", ""), b));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyCaseTheScriptWritesIsHere() throws IOException {
        // 5 attention cases, 5 encoder cases (4 layers + a stack), 5 decoder cases (4 layers + a stack)
        try (Stream<Path> files = Files.list(folder())) {
            assertEquals(15, files.filter(p -> p.toString().endsWith(".safetensors")).count());
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void matchesPyTorch(String name, String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open();
             SafeTensors.Contents file = SafeTensors.read(folder().resolve(name + ".safetensors"), f)) {
            Map<String, Tensor> t = file.tensors();
            Map<String, String> m = file.metadata();
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (String k : List.of("query", "key", "value", "src", "tgt", "memory")) {
                if (t.containsKey(k)) {
                    inputs.put(k, t.get(k).requiresGrad(true));
                }
            }
            Generator g = new Generator(7);
            String kind = m.get("kind");
            boolean batchFirst = Boolean.parseBoolean(m.get("batch_first"));
            Block net;
            Tensor out;
            Tensor weights = null;
            if (kind.equals("mha")) {
                MultiheadAttention mha = new MultiheadAttention(f, g, Integer.parseInt(m.get("embed_dim")),
                        Integer.parseInt(m.get("num_heads")), 0.0, true, batchFirst, DType.FLOAT64);
                net = mha;
                load(net, t);
                Tensor q = inputs.get("query");
                Tensor k = inputs.getOrDefault("key", q);
                Tensor v = inputs.getOrDefault("value", k);
                MultiheadAttention.Output r = mha.forward(q, k, v, t.get("key_padding_mask"), t.get("attn_mask"),
                        true, Boolean.parseBoolean(m.get("average")));
                out = r.output();
                weights = r.weights();
            } else {
                TransformerOptions o = TransformerOptions.of(Integer.parseInt(m.get("d_model")),
                                Integer.parseInt(m.get("nhead")))
                        .dimFeedforward(Integer.parseInt(m.get("dim_feedforward"))).dropout(0.0)
                        .activation(m.get("activation")).layerNormEps(Double.parseDouble(m.get("layer_norm_eps")))
                        .batchFirst(batchFirst).normFirst(Boolean.parseBoolean(m.get("norm_first")))
                        .dtype(DType.FLOAT64);
                int layers = Integer.parseInt(m.get("num_layers"));
                boolean finalNorm = Boolean.parseBoolean(m.get("final_norm"));
                switch (kind) {
                    case "encoder_layer" -> {
                        TransformerEncoderLayer l = new TransformerEncoderLayer(f, g, o);
                        net = l;
                        load(net, t);
                        out = l.forward(inputs.get("src"), t.get("src_mask"), t.get("src_key_padding_mask"));
                    }
                    case "encoder" -> {
                        TransformerEncoder l = new TransformerEncoder(f, g, o, layers, finalNorm);
                        net = l;
                        load(net, t);
                        out = l.forward(inputs.get("src"), t.get("src_mask"), t.get("src_key_padding_mask"));
                    }
                    case "decoder_layer" -> {
                        TransformerDecoderLayer l = new TransformerDecoderLayer(f, g, o);
                        net = l;
                        load(net, t);
                        out = l.forward(inputs.get("tgt"), inputs.get("memory"), t.get("tgt_mask"),
                                t.get("memory_mask"), t.get("tgt_key_padding_mask"), t.get("memory_key_padding_mask"));
                    }
                    case "decoder" -> {
                        TransformerDecoder l = new TransformerDecoder(f, g, o, layers, finalNorm);
                        net = l;
                        load(net, t);
                        out = l.forward(inputs.get("tgt"), inputs.get("memory"), t.get("tgt_mask"),
                                t.get("memory_mask"), t.get("tgt_key_padding_mask"), t.get("memory_key_padding_mask"));
                    }
                    default -> throw new IllegalStateException(kind);
                }
            }
            try (net) {
                close("output", t.get("output"), out);
                Tensor loss = out.mul(t.get("R")).sum();
                if (t.containsKey("weights")) {
                    assertNotNull(weights, "weights were asked for");
                    close("weights", t.get("weights"), weights);
                    loss = loss.add(weights.mul(t.get("W")).sum());
                }
                assertEquals(t.get("loss").item(), loss.item(), TOL, "loss");

                List<String> names = new ArrayList<>(net.namedParameters().keySet());
                List<Tensor> wrt = new ArrayList<>(net.namedParameters().values());
                inputs.forEach((k, v) -> {
                    names.add(k);
                    wrt.add(v);
                });
                List<Tensor> grads = Autograd.grad(loss, wrt);
                for (int i = 0; i < names.size(); i++) {
                    close("grad." + names.get(i), t.get("grad." + names.get(i)), grads.get(i));
                }
            }
        }
    }

    /** Loads the file's state dict strictly, and checks that the parameters come in PyTorch's order. */
    private static void load(Block net, Map<String, Tensor> t) {
        Map<String, Tensor> stateDict = new LinkedHashMap<>();
        t.forEach((k, v) -> {
            if (!NOT_STATE.contains(k) && !k.startsWith("grad.")) {
                stateDict.put(k, v);
            }
        });
        net.loadState(stateDict);
        assertEquals(List.copyOf(stateDict.keySet()), List.copyOf(net.namedParameters().keySet()),
                "parameter order is PyTorch's");
        assertTrue(INPUTS.stream().anyMatch(t::containsKey));
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
