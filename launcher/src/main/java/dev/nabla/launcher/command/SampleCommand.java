package dev.nabla.launcher.command;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.launcher.UsageException;
import dev.nabla.launcher.registry.FamilyRegistry;
import dev.nabla.launcher.report.Plots;
import dev.nabla.launcher.wiring.LauncherConfig;
import dev.nabla.models.checkpoint.AtomicFiles;
import dev.nabla.models.family.AttentionMap;
import dev.nabla.models.family.SampleRequest;
import dev.nabla.models.family.Samples;
import dev.nabla.models.family.Scatter;
import jakarta.inject.Inject;
import dev.nabla.launcher.wiring.SelectedBackend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code nabla sample RUN}: draws samples from a trained model and shows them as its family says: points
 * as CSV (flows: {@code x1,…,xD,log_prob}, each with the log-probability the model gives it) into
 * {@code RUN/samples.csv}, a file, or standard output ({@code --out -}); text as lines on standard output
 * (or {@code --out FILE}); images as a grid ({@code RUN/samples.png}). For a model with a latent space of
 * images ({@link dev.nabla.models.image.LatentImageModel}, a VAE) it also writes, into the run folder, the
 * pictures {@code train} draws from the test split: {@code reconstructions.png}, {@code interpolations.png}
 * and, for a 2-D latent space, {@code latent.png}. The sampling options ({@code --prompt}, {@code --input},
 * {@code --length}, {@code --temperature}, {@code --beam}) go to the model as a {@link SampleRequest}; one
 * the model does not take is refused by name ({@code --attention FILE} too: a model of the attention
 * family draws the alignment of its translation into that PNG, {@link AttentionMap}). {@code --png FILE} also draws the samples into a PNG: points
 * over the data when they lie in the plane, a grid of the images for a model of images.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draw samples from a trained model's checkpoint (flows: points with their log-probabilities).")
public final class SampleCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run folder of 'nabla train' or its checkpoint.safetensors.")
    Path run;

    @Option(names = {"-n", "--count"}, paramLabel = "N", defaultValue = "1000", description = "Samples to draw (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the sampler (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file, or - for standard output (default: RUN/samples.csv, .txt or .png).")
    String output;

    @Option(names = "--png", paramLabel = "FILE", description = "Also draw the samples into this PNG: over the data set (points in the plane) or as a grid (images).")
    Path png;

    @Option(names = "--backend", paramLabel = "B", description = "Backend to sample on (default: the best available).")
    String backend;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "Text a language model continues.")
    String prompt;

    @Option(names = "--input", paramLabel = "TEXT", description = "Input a sequence-to-sequence model translates.")
    String input;

    @Option(names = "--length", paramLabel = "N", description = "Tokens to generate (language models).")
    String length;

    @Option(names = "--temperature", paramLabel = "T", description = "Sampling temperature, > 0 (language models).")
    String temperature;

    @Option(names = "--beam", paramLabel = "K", description = "Beam width of beam-search decoding (1: greedy).")
    String beam;

    @Option(names = "--queries", paramLabel = "ROW,COL;...", description = "Query pixels whose attention maps a self-attention GAN draws (sagan), e.g. 7,14;14,14;21,8.")
    String queries;
    @Option(names = "--attention", paramLabel = "FILE", description = "Also draw the alignment of the translation of --input (or of the first sample) into this PNG (attention models).")
    Path attention;

    @Option(names = "--checkpoint", paramLabel = "WHICH", defaultValue = "last", description = "last (the run's last step) or best (its lowest validation loss) (default: ${DEFAULT-VALUE}).")
    String which;

    /** The most samples one command draws. */
    static final int MAX_COUNT = 1_000_000;

    private final LauncherConfig config;
    private final SelectedBackend backends;
    private final FamilyRegistry families;

    /** Created by Guice. */
    @Inject
    SampleCommand(LauncherConfig config, SelectedBackend backends, FamilyRegistry families) {
        this.config = config;
        this.backends = backends;
        this.families = families;
    }

    @Override
    public Integer call() {
        if (count < 1 || count > MAX_COUNT) {
            throw new UsageException("--count must be from 1 to " + MAX_COUNT + " (the samples are drawn at once, in memory), got "
                    + count);
        }
        if (output != null && !"-".equals(output)) {
            requireWritable(output, "--out");
        }
        if (png != null) {
            requireWritable(png.toString(), "--png");
        }
        if (attention != null) {
            requireWritable(attention.toString(), "--attention");
        }
        Path source = RunDirectory.existingCheckpoint(run, which);
        config.requestBackend(backend);
        TensorFactory f = TensorFactory.on(backends.get());
        try (TrainedModel trained = TrainedModel.load(source, families, f)) {
            SampleRequest request = new SampleRequest(count, new Generator(seed), sampleOptions());
            request.requireOnly(trained.spec().model(), trained.model().sampleOptions());
            Samples drawn = trained.model().sample(request);
            Path folder = Files.isDirectory(run) ? run : run.toAbsolutePath().getParent();
            switch (drawn) {
                case Samples.Points p -> emit(p, folder.resolve("samples.csv"), trained, w -> writeCsv(w, p));
                case Samples.Text t -> {
                    if (output == null) {   // text is read where it is asked for: printed, unless --out names a file
                        t.texts().forEach(config.out()::println);
                        config.out().flush();
                    } else {
                        emit(t, folder.resolve("samples.txt"), trained, w -> t.texts().forEach(w::println));
                    }
                }
                case Samples.Images i -> {
                    if ("-".equals(output)) {
                        throw new UsageException("images cannot go to standard output; give --out FILE.png");
                    }
                    Path file = output != null ? Path.of(output) : folder.resolve("samples.png");
                    writing(file, () -> Plots.imageGrid(file, i));
                    config.out().printf(Locale.ROOT, "wrote %d samples of %s (step %d) to %s%n", i.count(),
                            trained.spec().model(), trained.step(), file);
                    var latent = trained.model().unwrap(dev.nabla.models.image.LatentImageModel.class);
                    if (latent.isPresent()) {   // the latent-space pictures too, as train draws them, into the run folder
                        RunSpec spec = trained.spec();
                        var data = trained.family().data(spec.dataset(), spec.seed(), spec.config());
                        java.util.List<String> more = new java.util.ArrayList<>();
                        writing(folder, () -> more.addAll(TrainCommand.latentPictures(latent.get(), data, folder)));
                        config.out().println("wrote " + String.join(", ", more) + " in " + folder);
                    }
                }
            }
            if (attention != null) {   // the model took --attention (requireOnly), so it can show its alignment
                AttentionMap map = trained.model().unwrap(AttentionMap.Source.class)
                        .orElseThrow(() -> new UsageException("model '" + trained.spec().model() + "' has no alignment to draw"))
                        .attentionMap(request);
                writing(attention, () -> Plots.attention(attention, map));
                config.out().println("wrote " + attention);
            }
            if (png != null && drawn instanceof Samples.Images i) {   // images: the grid itself
                writing(png, () -> Plots.imageGrid(png, i));
                config.out().println("wrote " + png);
            } else if (png != null) {
                RunSpec spec = trained.spec();
                Optional<Scatter> scatter = trained.model().scatter(
                        trained.family().data(spec.dataset(), spec.seed(), spec.config()).test(), count, new Generator(seed));
                if (scatter.isEmpty()) {
                    throw new UsageException("--png draws points in the plane or images; model '" + spec.model()
                            + "' samples neither");
                }
                writing(png, () -> Plots.samples(png, scatter.get().title() + " (red) over " + spec.dataset() + " (grey)",
                        scatter.get()));
                config.out().println("wrote " + png);
            }
        }
        return 0;
    }

    /** The sampling options given on the command line, by name without dashes. */
    private Map<String, String> sampleOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        BiConsumer<String, String> put = (name, value) -> {
            if (value != null) {
                options.put(name, value);
            }
        };
        put.accept("prompt", prompt);
        put.accept("input", input);
        put.accept("length", length);
        put.accept("temperature", temperature);
        put.accept("beam", beam);
        put.accept("queries", queries);
        put.accept("attention", attention == null ? null : attention.toString());
        return options;
    }

    /** Refuses an output path that cannot be a file: empty, a folder, or under a file. */
    static void requireWritable(String path, String option) {
        if (path.isBlank()) {
            throw new UsageException(option + " must name a file, got an empty path");
        }
        Path p = Path.of(path);
        if (Files.isDirectory(p)) {
            throw new UsageException(option + " " + path + " is a folder; give a file");
        }
        for (Path q = p.toAbsolutePath().getParent(); q != null; q = q.getParent()) {
            if (Files.exists(q) && !Files.isDirectory(q)) {
                throw new UsageException(option + " " + path + " cannot be written: " + q + " is a file");
            }
        }
    }

    /** {@code write}, with a file that cannot be written reported as a usage error (one line). */
    private static void writing(Path file, Runnable write) {
        try {
            write.run();
        } catch (java.io.UncheckedIOException e) {
            throw new UsageException("cannot write " + file + ": " + TrainedModel.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** What writes a text kind of samples. */
    private interface Writer {
        void write(PrintStream w);
    }

    private void emit(Samples s, Path defaultFile, TrainedModel trained, Writer writer) {
        if ("-".equals(output)) {
            writer.write(config.out());
            config.out().flush();
            return;
        }
        Path file = output != null ? Path.of(output) : defaultFile;
        writing(file, () -> AtomicFiles.write(file, stream -> {
            PrintStream w = new PrintStream(stream, false, StandardCharsets.UTF_8);
            writer.write(w);
            w.flush();
        }));
        int n = s instanceof Samples.Points p ? p.rows() : ((Samples.Text) s).texts().size();
        config.out().printf(Locale.ROOT, "wrote %d samples of %s (step %d) to %s%n", n, trained.spec().model(),
                trained.step(), file);
    }

    private static void writeCsv(PrintStream w, Samples.Points p) {
        w.println(String.join(",", p.columns()));
        int c = p.columns().size();
        StringBuilder row = new StringBuilder();
        float[] v = p.values();
        for (int i = 0; i < p.rows(); i++) {
            row.setLength(0);
            for (int j = 0; j < c; j++) {
                if (j > 0) {
                    row.append(',');
                }
                row.append(v[i * c + j]);
            }
            w.println(row);
        }
    }
}
