package dev.nabla.launcher.command;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.nn.RecurrentCell;
import dev.nabla.api.spi.BuildContext;
import dev.nabla.api.spi.LayerProvider;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.ProviderRegistry;
import dev.nabla.launcher.report.Plots;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.launcher.wiring.SelectedBackend;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code nabla gradients --png FILE}: why gated cells exist, as a picture. Builds a vanilla RNN, an LSTM
 * and a GRU cell ({@code rnn_cell}, {@code lstm_cell}, {@code gru_cell} from the layer providers, float64,
 * PyTorch's initialisation; the LSTM's forget-gate bias and the GRU's update-gate bias raised by
 * {@code --gate-bias}, the usual start that lets a gated cell remember), runs each over the same random
 * sequence, puts a loss on the last step only and plots {@code ‖∂L/∂h_t‖} against {@code t} on a log scale
 * ({@link GradientFlow}); it prints the norms every tenth of the way and each cell's mean decay per step.
 * The command knows no model family: it uses only the api's recurrent cells.
 */
@Command(name = "gradients", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Plot ||dL/dh_t|| against t (log scale) for RNN, LSTM and GRU cells: vanishing gradients.")
public final class GradientsCommand implements Callable<Integer> {
    /** The cells compared, by their layer-provider names, with their labels. */
    static final Map<String, String> CELLS = Map.of("rnn_cell", "RNN (tanh)", "lstm_cell", "LSTM", "gru_cell", "GRU");
    private static final List<String> ORDER = List.of("rnn_cell", "lstm_cell", "gru_cell");

    @Option(names = "--png", required = true, paramLabel = "FILE", description = "Where to write the picture.")
    Path png;

    @Option(names = "--length", paramLabel = "T", defaultValue = "100", description = "Steps of the sequence, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--hidden", paramLabel = "H", defaultValue = "64", description = "Size of h, 1 to 4096 (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--input-size", paramLabel = "N", defaultValue = "8", description = "Size of each input, 1 to 4096 (default: ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--gate-bias", paramLabel = "B", defaultValue = "1.0", description = "Added to the LSTM's forget-gate and the GRU's update-gate biases, -20 to 20 (default: ${DEFAULT-VALUE}).")
    double gateBias;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the weights and the input (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--backend", paramLabel = "B", description = "Backend (default: the best available).")
    String backend;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final ProviderRegistry<LayerProvider> layers;

    /** Created by Guice. */
    @Inject
    GradientsCommand(LauncherConfig config, SelectedBackend backends, ProviderRegistry<LayerProvider> layers) {
        this.config = config;
        this.backends = backends;
        this.layers = layers;
    }

    @Override
    public Integer call() {
        if (length < 1 || length > 10_000) {
            throw new UsageException("--length must be from 1 to 10000, got " + length);
        }
        if (hidden < 1 || hidden > 4096) {
            throw new UsageException("--hidden must be from 1 to 4096, got " + hidden);
        }
        if (inputSize < 1 || inputSize > 4096) {
            throw new UsageException("--input-size must be from 1 to 4096, got " + inputSize);
        }
        if (!(gateBias >= -20 && gateBias <= 20)) {
            throw new UsageException("--gate-bias must be from -20 to 20, got " + gateBias);
        }
        config.requestBackend(backend);
        Backend b = backends.get();
        TensorFactory f = TensorFactory.on(b);
        Map<String, double[]> curves = curves(f, layers(), length, hidden, inputSize, gateBias, seed);
        PrintStream out = config.out();
        out.printf(Locale.ROOT, "||dL/dh_t|| for a loss on step %d only (hidden %d, input %d, gate bias %+.1f, seed %d, backend %s)%n",
                length, hidden, inputSize, gateBias, seed, b.name());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%6s", "t"));
        for (String c : curves.keySet()) {
            head.append(String.format(Locale.ROOT, " %14s", c));
        }
        out.println(head);
        int every = Math.max(1, length / 10);
        for (int t = length; t >= 0; t -= every) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%6d", t));
            for (double[] n : curves.values()) {
                row.append(String.format(Locale.ROOT, " %14.4e", n[t]));
            }
            out.println(row);
        }
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] n = e.getValue();
            out.printf(Locale.ROOT, "%s: mean decay per step going back %.4f (||dL/dh_0|| / ||dL/dh_%d|| = %.3e)%n",
                    e.getKey(), Math.pow(n[0] / n[length], 1.0 / length), length, n[0] / n[length]);
        }
        Plots.gradientNorms(png, String.format(Locale.ROOT, "||dL/dh_t||, loss at step %d only (hidden %d)", length, hidden),
                curves);
        out.println("wrote " + png);
        return 0;
    }

    private List<LayerProvider> layers() {
        List<LayerProvider> l = new ArrayList<>();
        for (ProviderRegistry.Entry<LayerProvider> e : layers.entries()) {
            if (!l.contains(e.provider())) {
                l.add(e.provider());
            }
        }
        return l;
    }

    /**
     * The norms for each cell, by label, from the same weights seed and input.
     *
     * @param f         where to compute
     * @param providers the layer providers to take the cells from
     * @param length    {@code T}
     * @param hidden    the size of {@code h}
     * @param inputSize the size of an input
     * @param gateBias  added to the LSTM forget-gate and GRU update-gate biases
     * @param seed      the seed
     * @return {@code T + 1} norms per cell, in the order RNN, LSTM, GRU
     */
    static Map<String, double[]> curves(TensorFactory f, List<LayerProvider> providers, int length, int hidden,
                                        int inputSize, double gateBias, long seed) {
        Generator data = new Generator(seed ^ 0x6A09E667F3BCC909L);
        List<Tensor> inputs = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            inputs.add(f.normal(data, 0, 1, Shape.of(1, inputSize), DType.FLOAT64));
        }
        Tensor readout = f.normal(data, 0, 1, Shape.of(1, hidden), DType.FLOAT64).div(Math.sqrt(hidden));
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (String name : ORDER) {
            RecurrentCell<?> cell = cell(providers, name, f, new Generator(seed), inputSize, hidden);
            try {
                int gate = name.equals("lstm_cell") ? 1 : name.equals("gru_cell") ? 1 : -1;   // i,f,g,o and r,z,n
                if (gate >= 0) {
                    raise(cell.namedParameters().get("bias_ih"), gate, hidden, gateBias);
                }
                curves.put(CELLS.get(name), GradientFlow.norms(cell, inputs, readout));
            } finally {
                cell.close();
            }
        }
        return curves;
    }

    private static RecurrentCell<?> cell(List<LayerProvider> providers, String name, TensorFactory f, Generator random,
                                         int in, int hidden) {
        for (LayerProvider p : providers) {
            if (p.cellNames().contains(name)) {
                return p.createCell(name, new BuildContext(f, random,
                        Map.of("input_size", in, "hidden_size", hidden, "dtype", "float64")));
            }
        }
        throw new UsageException("no layer provider offers the recurrent cell '" + name + "'");
    }

    /** Adds {@code by} to the gate {@code gate}'s slice {@code [gate·H, (gate+1)·H)} of {@code bias}, in place. */
    private static void raise(Tensor bias, int gate, int hidden, double by) {
        if (bias == null || by == 0) {
            return;
        }
        double[] v = bias.toDoubleArray();
        for (int j = gate * hidden; j < (gate + 1) * hidden; j++) {
            v[j] += by;
        }
        bias.assign(bias.factory().of(v, v.length).to(bias.dtype()));
    }
}
