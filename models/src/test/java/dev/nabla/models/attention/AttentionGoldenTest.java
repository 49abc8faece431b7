package dev.nabla.models.attention;

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
import dev.nabla.models.nn.LuongAttention;
import dev.nabla.models.nn.SourceMemory;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;

/**
 * One Bahdanau decoder step and one Luong decoder step with the general score against the same steps
 * written in PyTorch tensor ops in float64 ({@code scripts/torch-golden-attention-decoders.py}): fixed
 * weights loaded by name, a padded batch of sources (lengths 5, 2, 4, the padding holding random keys),
 * and the loss {@code Σ logits ⊙ R1 + Σ state ⊙ R2 + Σ alignment ⊙ R3 (+ Σ h̃ ⊙ R4)}. Outputs, the loss and
 * the gradient of every parameter and input agree within {@code 1e-10}, on the reference and the native backend.
 */
class AttentionGoldenTest {
    private static final double TOL = 1e-10;

    private static Path file(String name) {
        URL url = AttentionGoldenTest.class.getResource("torch/" + name + ".safetensors");
        assertNotNull(url, "golden file torch/" + name + ".safetensors is missing from the test resources");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"reference", "native"})
    void bahdanauStepMatchesPyTorch(String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open(); SafeTensors.Contents c = SafeTensors.read(file("bahdanau_step"), f);
             BahdanauDecoder d = new BahdanauDecoder(f, new Generator(1), 3, 4, 4, 3, 6, DType.FLOAT64)) {
            Map<String, Tensor> t = c.tensors();
            d.loadState(parameters(t, d.namedParameters().keySet()));
            Tensor keys = t.get("keys").requiresGrad(true);
            Tensor y = t.get("y").requiresGrad(true);
            Tensor s = t.get("s").requiresGrad(true);
            SourceMemory memory = d.attention().memory(keys, t.get("lengths").toLongArray());
            AttentionDecoder.Step step = d.step(y, new AttentionDecoder.State(s, null), memory, 0, AttentionDecoder.Focus.SOFT);
            close("logits", t.get("logits"), step.logits());
            close("state", t.get("state"), step.state().h());
            close("weights", t.get("weights"), step.weights());
            Tensor loss = step.logits().mul(t.get("R1")).sum().add(step.state().h().mul(t.get("R2")).sum())
                    .add(step.weights().mul(t.get("R3")).sum());
            assertEquals(t.get("loss").item(), loss.item(), TOL, "loss");
            gradients(t, d.namedParameters(), Map.of("keys", keys, "y", y, "s", s), loss);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"reference", "native"})
    void luongGeneralStepMatchesPyTorch(String backend) {
        TensorFactory f = TensorFactory.on(Nabla.backend(backend));
        try (Scope ignored = Scope.open(); SafeTensors.Contents c = SafeTensors.read(file("luong_general_step"), f);
             LuongDecoder d = new LuongDecoder(f, new Generator(1), LuongAttention.Score.GENERAL,
                     LuongAttention.Window.GLOBAL, 3, 4, 4, 3, 6, 2, 8, DType.FLOAT64)) {
            Map<String, Tensor> t = c.tensors();
            d.loadState(parameters(t, d.namedParameters().keySet()));
            Tensor keys = t.get("keys").requiresGrad(true);
            Tensor y = t.get("y").requiresGrad(true);
            Tensor h = t.get("h").requiresGrad(true);
            Tensor feed = t.get("feed").requiresGrad(true);
            SourceMemory memory = d.attention().memory(keys, t.get("lengths").toLongArray());
            AttentionDecoder.Step step = d.step(y, new AttentionDecoder.State(h, feed), memory, 0, AttentionDecoder.Focus.SOFT);
            close("logits", t.get("logits"), step.logits());
            close("state", t.get("state"), step.state().h());
            close("feed_out", t.get("feed_out"), step.state().feed());
            close("weights", t.get("weights"), step.weights());
            Tensor loss = step.logits().mul(t.get("R1")).sum().add(step.state().h().mul(t.get("R2")).sum())
                    .add(step.weights().mul(t.get("R3")).sum()).add(step.state().feed().mul(t.get("R4")).sum());
            assertEquals(t.get("loss").item(), loss.item(), TOL, "loss");
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            inputs.put("keys", keys);
            inputs.put("y", y);
            inputs.put("h", h);
            inputs.put("feed", feed);
            gradients(t, d.namedParameters(), inputs, loss);
        }
    }

    /** The file's parameters under the decoder's names: every name present, loaded strictly. */
    private static Map<String, Tensor> parameters(Map<String, Tensor> t, java.util.Set<String> names) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (String n : names) {
            assertNotNull(t.get(n), "the golden file has no parameter " + n);
            p.put(n, t.get(n));
        }
        return p;
    }

    private static void gradients(Map<String, Tensor> t, Map<String, Tensor> params, Map<String, Tensor> inputs, Tensor loss) {
        List<String> names = new ArrayList<>(params.keySet());
        List<Tensor> wrt = new ArrayList<>(params.values());
        names.addAll(inputs.keySet());
        wrt.addAll(inputs.values());
        List<Tensor> grads = Autograd.grad(loss, wrt);
        for (int i = 0; i < names.size(); i++) {
            close("grad." + names.get(i), t.get("grad." + names.get(i)), grads.get(i));
        }
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
