package dev.nabla.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Swapping backends is a matter of which provider jar is on the module path: the same {@code nabla}
 * commands run in child JVMs whose module paths differ only in the one provider jar they hold
 * ({@link SwapProvider}: reference, native, TensorFlow), with no backend named anywhere, and give the
 * same numbers within a stated tolerance.
 *
 * <p>The runs differ only in float32 kernels (BLAS versus Java loops versus TensorFlow, each with its own
 * summation order and {@code exp}/{@code log}), so equality is not expected; the tolerances below are
 * relative, and the measured differences are printed with every run.
 */
class BackendSwapTest {
    /**
     * Relative tolerance for a training run's results (its training loss, validation loss and test
     * log-likelihood): 40 Adam steps carry each step's rounding differences into the next.
     */
    static final double TRAINING_TOLERANCE = 1e-3;

    /** Relative tolerance for evaluating one checkpoint (the reference's) on each backend: one float32 pass. */
    static final double EVAL_TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @EnumSource(SwapProvider.class)
    void theProviderJarAloneChoosesTheBackend(SwapProvider provider) {
        ChildJvm.Result r = provider.run(tmp.resolve("logs"), "backends");
        assertEquals(0, r.status(), r.transcript());
        List<String> rows = r.out().lines().filter(l -> l.matches("[* ] \\S+ +-?\\d+ +(available|unavailable) .*")).toList();
        assertEquals(1, rows.size(), "one provider found: " + r.transcript());
        assertTrue(rows.getFirst().matches("\\* " + provider.backend() + " +-?\\d+ +available .*"),
                "the one provider is available and selected: " + r.transcript());
        assertTrue(r.out().contains("selected: " + provider.backend() + " (highest priority available ("),
                "chosen by priority, not by name: " + r.transcript());
    }

    /**
     * What one provider's run gave.
     *
     * @param trainLoss      the training loss {@code train} prints: the mean of the run's 40 step losses
     *                       (one epoch), here from {@code metrics.csv} at full precision
     * @param validationLoss the validation loss after the last step
     * @param testLogLikelihood the test log-likelihood {@code eval} gives the run's checkpoint
     * @param referenceCheckpointLogLikelihood the test log-likelihood it gives the reference run's checkpoint
     * @param stepLosses     the loss of every step, for the report
     */
    private record Results(double trainLoss, double validationLoss, double testLogLikelihood,
                           double referenceCheckpointLogLikelihood, double[] stepLosses) {
        double[] values() {
            return new double[] {trainLoss, validationLoss, testLogLikelihood, referenceCheckpointLogLikelihood};
        }
    }

    private static final Pattern DONE = Pattern.compile("done: 40 steps .*; train loss (-?[0-9.]+), validation loss");

    @Test
    void theSameTrainingRunGivesTheSameNumbersWhicheverProviderJarIsPresent() throws IOException {
        Map<SwapProvider, Results> results = new EnumMap<>(SwapProvider.class);
        Path referenceRun = tmp.resolve(SwapProvider.REFERENCE.backend());
        for (SwapProvider p : SwapProvider.values()) {          // REFERENCE first: the others read its checkpoint
            Path run = tmp.resolve(p.backend());
            ChildJvm.Result train = p.run(tmp.resolve("logs"), "train", "realnvp", "--dataset", "moons",
                    "--steps", "40", "--seed", "3", "--progress", "none", "--out", run.toString());
            assertEquals(0, train.status(), train.transcript());
            assertTrue(train.out().contains(" on backend " + p.backend() + " ("), train.transcript());
            List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
            assertEquals("step,train_loss,val_loss", csv.getFirst());
            assertEquals(41, csv.size(), "a row per step, 40 steps");
            double[] steps = csv.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[1])).toArray();
            double trainLoss = java.util.Arrays.stream(steps).average().orElseThrow();
            Matcher done = DONE.matcher(train.out());
            assertTrue(done.find(), train.transcript());
            assertEquals(Double.parseDouble(done.group(1)), trainLoss, 5e-5, "train prints the mean step loss");
            String[] last = csv.getLast().split(",");
            ChildJvm.Result eval = p.run(tmp.resolve("logs"), "eval", run.toString());
            assertEquals(0, eval.status(), eval.transcript());
            assertTrue(eval.out().contains("backend " + p.backend() + ")"), eval.transcript());
            ChildJvm.Result evalReference = p.run(tmp.resolve("logs"), "eval", referenceRun.toString());
            assertEquals(0, evalReference.status(), evalReference.transcript());
            results.put(p, new Results(trainLoss, Double.parseDouble(last[2]), eval.value("log_likelihood"),
                    evalReference.value("log_likelihood"), steps));
        }

        String[] names = {"train loss (mean of the 40 steps)", "validation loss", "test log-likelihood",
                "reference checkpoint test log-likelihood"};
        double[] tolerance = {TRAINING_TOLERANCE, TRAINING_TOLERANCE, TRAINING_TOLERANCE, EVAL_TOLERANCE};
        double[] reference = results.get(SwapProvider.REFERENCE).values();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "backend swap: realnvp on moons, 40 steps, seed 3; relative difference to the reference backend%n"));
        report.append(String.format(Locale.ROOT, "  %-42s %12s", "", "reference"));
        for (SwapProvider p : SwapProvider.values()) {
            if (p != SwapProvider.REFERENCE) {
                report.append(String.format(Locale.ROOT, " %12s %10s", p.backend(), "rel. diff"));
            }
        }
        report.append(String.format(Locale.ROOT, "  tolerance%n"));
        double[][] diffs = new double[SwapProvider.values().length][names.length];
        for (int k = 0; k < names.length; k++) {
            report.append(String.format(Locale.ROOT, "  %-42s %12.6f", names[k], reference[k]));
            for (SwapProvider p : SwapProvider.values()) {
                if (p == SwapProvider.REFERENCE) {
                    continue;
                }
                double v = results.get(p).values()[k];
                diffs[p.ordinal()][k] = Math.abs(v - reference[k]) / Math.abs(reference[k]);
                report.append(String.format(Locale.ROOT, " %12.6f %10.2e", v, diffs[p.ordinal()][k]));
            }
            report.append(String.format(Locale.ROOT, "  %.0e%n", tolerance[k]));
        }
        for (SwapProvider p : SwapProvider.values()) {
            if (p == SwapProvider.REFERENCE) {
                continue;
            }
            double worst = 0;
            int at = 0;
            for (int i = 0; i < 40; i++) {
                double ref = results.get(SwapProvider.REFERENCE).stepLosses()[i];
                double d = Math.abs(results.get(p).stepLosses()[i] - ref) / Math.abs(ref);
                if (d > worst) {
                    worst = d;
                    at = i + 1;
                }
            }
            report.append(String.format(Locale.ROOT, "  largest difference of one step's loss, %s: %.2e (step %d)%n",
                    p.backend(), worst, at));
        }
        System.out.print(report);
        for (SwapProvider p : SwapProvider.values()) {
            for (int k = 0; k < names.length; k++) {
                double v = results.get(p).values()[k];
                assertTrue(Double.isFinite(v), p + " " + names[k] + " is " + v + "\n" + report);
                assertTrue(diffs[p.ordinal()][k] <= tolerance[k], p + ": " + names[k] + " differs from the reference's by "
                        + diffs[p.ordinal()][k] + " (relative), more than " + tolerance[k] + "\n" + report);
            }
        }
    }
}
