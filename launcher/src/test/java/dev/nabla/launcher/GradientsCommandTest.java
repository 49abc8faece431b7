package dev.nabla.launcher;

import dev.nabla.api.Nabla;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.launcher.command.GradientFlow;
import dev.nabla.models.spi.ModelsLayerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code nabla gradients}: the norms {@code ‖∂L/∂h_t‖} of {@link GradientFlow} equal a direct autograd
 * computation (a leaf at step {@code t}, the rest of the sequence and the loss recorded, one backward);
 * a vanilla RNN's vanish exponentially going back, an LSTM's far less; the command writes the picture.
 */
class GradientsCommandTest {
    private static final TensorFactory F = TensorFactory.on(Nabla.backend("reference"));

    @TempDir
    Path tmp;

    private static RecurrentCell<?> cell(String name, int in, int hidden) {
        return new ModelsLayerProvider().createCell(name, new BuildContext(F, new Generator(3),
                Map.of("input_size", in, "hidden_size", hidden, "dtype", "float64")));
    }

    private static List<Tensor> inputs(int steps, int in) {
        Generator g = new Generator(9);
        List<Tensor> x = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            x.add(F.normal(g, 0, 1, Shape.of(1, in), DType.FLOAT64));
        }
        return x;
    }

    /** ‖∂L/∂h_t‖ with one backward pass from a leaf state at step {@code t} through the rest of the sequence. */
    private static <S> double direct(RecurrentCell<S> cell, List<Tensor> x, Tensor w, int t) {
        S s = cell.initialState(1);
        try (GradMode ignored = Autograd.noGrad()) {
            for (int i = 0; i < t; i++) {
                s = cell.step(x.get(i), s);
            }
        }
        List<Tensor> leaves = new ArrayList<>();
        for (Tensor v : cell.stateTensors(s)) {
            leaves.add(v.detach().requiresGrad(true));
        }
        S r = cell.stateOf(leaves);
        for (int i = t; i < x.size(); i++) {
            r = cell.step(x.get(i), r);
        }
        cell.output(r).mul(w).sum().backward();
        double sum = 0;
        for (double v : leaves.getFirst().grad().toDoubleArray()) {
            sum += v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void normsEqualOneBackwardPassFromEachStep() {
        for (String name : List.of("rnn_cell", "lstm_cell", "gru_cell")) {
            RecurrentCell<?> cell = cell(name, 3, 5);
            List<Tensor> x = inputs(12, 3);
            Tensor w = F.normal(new Generator(4), 0, 1, Shape.of(1, 5), DType.FLOAT64);
            double[] n = GradientFlow.norms(cell, x, w);
            assertEquals(13, n.length);
            for (int t : new int[] {0, 1, 6, 11, 12}) {
                double d = direct(cell, x, w, t);
                assertEquals(d, n[t], 1e-12 * d, name + " t=" + t);
            }
            cell.close();
        }
    }

    @Test
    void anRnnsGradientVanishesAndAnLstmsMuchLess() {
        int steps = 60;
        List<Tensor> x = inputs(steps, 4);
        Tensor w = F.normal(new Generator(4), 0, 1, Shape.of(1, 32), DType.FLOAT64);
        double[] rnn = GradientFlow.norms(cell("rnn_cell", 4, 32), x, w);
        RecurrentCell<?> lstm = cell("lstm_cell", 4, 32);
        double[] b = lstm.namedParameters().get("bias_ih").toDoubleArray();
        for (int j = 32; j < 64; j++) {
            b[j] += 1;   // the forget gate's usual start
        }
        lstm.namedParameters().get("bias_ih").assign(F.of(b, b.length));
        double[] l = GradientFlow.norms(lstm, x, w);
        assertTrue(rnn[0] < 1e-6 * rnn[steps], "an RNN's gradient vanishes: " + rnn[0] + " vs " + rnn[steps]);
        for (int t = 10; t <= steps; t += 10) {
            assertTrue(rnn[t - 10] < 0.1 * rnn[t], "ten steps back lose over 90 %: t=" + t);
        }
        assertTrue(l[0] / l[steps] > 1e3 * rnn[0] / rnn[steps],
                "an LSTM keeps far more: " + l[0] / l[steps] + " vs " + rnn[0] / rnn[steps]);
    }

    @Test
    void theCommandWritesThePicture() throws Exception {
        Path png = tmp.resolve("grads.png");
        Cli r = Cli.run("gradients", "--png", png.toString(), "--length", "40", "--hidden", "16", "--backend", "reference");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("RNN (tanh)") && r.out().contains("mean decay per step"), r.out());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        Cli bad = Cli.run("gradients", "--png", png.toString(), "--length", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--length must be from 1 to 10000, got 0"), bad.err());
    }
}
