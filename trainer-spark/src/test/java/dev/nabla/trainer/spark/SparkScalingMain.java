package dev.nabla.trainer.spark;

import dev.nabla.api.train.TrainingReport;
import dev.nabla.models.spi.Trainers;
import dev.nabla.models.train.LoopTrainer;
import dev.nabla.models.train.TrainingListener;
import dev.nabla.models.train.TrainingLoop;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The measurement behind {@code scripts/spark-scaling}: the median wall time of a loop step of the MAF on
 * Fashion-MNIST, single-process ({@code mle}) and with the spark trainer for each partition count, in
 * {@code sync} (one step) and {@code average} (one round of K local steps, also shown per local step)
 * modes, at a fixed global batch. The first {@value #WARM} steps of every run are not counted (model
 * rebuilds on the executors, JIT).
 *
 * <p>Arguments: {@code limit steps batch blocks hidden K partitions...}.
 */
public final class SparkScalingMain {
    private static final int WARM = 3;

    private SparkScalingMain() {
    }

    /** Runs the measurement; see the class comment for the arguments. */
    public static void main(String[] args) {
        int limit = Integer.parseInt(args[0]);
        long steps = Long.parseLong(args[1]);
        int batch = Integer.parseInt(args[2]);
        Map<String, Object> keys = Map.of("blocks", args[3], "hidden", args[4], "limit", String.valueOf(limit));
        int k = Integer.parseInt(args[5]);
        List<Integer> partitions = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            partitions.add(Integer.parseInt(args[i]));
        }
        Fixture.sharedSpark(Math.max(2, Runtime.getRuntime().availableProcessors()));
        Map<String, Object> base = new LinkedHashMap<>(Map.of("batchSize", batch, "maxSteps", steps + WARM, "lr", 1e-4));
        double single = time("mle", base, keys, 0);
        long parameters;
        try (Fixture f = new Fixture("maf", "fashion-mnist", keys, "mle", 1, base)) {
            parameters = f.model.parameters().values().stream().mapToLong(t -> t.numel()).sum();
        }
        System.out.printf(Locale.ROOT, "MAF on Fashion-MNIST (%d images, %,d parameters, %.1f MB as float32), global batch %d, "
                + "%d cores%n", limit, parameters, parameters * 4 / 1e6, batch, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "single process (mle): %.1f ms per step%n", single);
        System.out.println("mode     P   ms/step   ms/round   ms/local step   vs single");
        for (String mode : List.of("sync", "average")) {
            for (int p : partitions) {
                Map<String, Object> s = new LinkedHashMap<>(base);
                s.put("mode", mode);
                s.put("partitions", p);
                s.put("localSteps", k);
                s.put("treeDepth", 2);
                if (mode.equals("average")) {
                    s.put("maxSteps", Math.max(WARM + 2, (steps + k - 1) / k + WARM));
                }
                double ms = time("spark", s, keys, p);
                if (mode.equals("sync")) {
                    System.out.printf(Locale.ROOT, "sync    %2d  %8.1f          -               -     %6.2f%n", p, ms, ms / single);
                } else {
                    System.out.printf(Locale.ROOT, "average %2d         -   %8.1f        %8.1f     %6.2f%n", p, ms, ms / k,
                            ms / k / single);
                }
            }
        }
        System.exit(0);
    }

    /** The median step time in ms, after the warm-up steps. */
    private static double time(String trainer, Map<String, Object> settings, Map<String, Object> keys, int p) {
        try (Fixture f = new Fixture("maf", "fashion-mnist", keys, trainer, 1, settings)) {
            LoopTrainer t = trainer.equals("spark") ? new SparkTrainer(settings) : (LoopTrainer) Trainers.create(trainer, settings);
            TrainingLoop loop = t.prepare(f.plan(1000, 1, Map.of()));
            List<Long> stamps = new ArrayList<>();
            loop.addListener(new TrainingListener() {
                @Override
                public void onStep(long step, double loss, Map<String, Double> parts) {
                    stamps.add(System.nanoTime());
                }
            });
            TrainingReport r = loop.run();
            List<Double> ms = new ArrayList<>();
            for (int i = WARM; i < stamps.size(); i++) {
                ms.add((stamps.get(i) - stamps.get(i - 1)) / 1e6);
            }
            ms.sort(Double::compare);
            if (ms.isEmpty()) {
                throw new IllegalStateException(trainer + ": only " + r.steps() + " steps");
            }
            return ms.get(ms.size() / 2);
        }
    }
}
