package dev.nabla.models.flows.bench;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.models.data.DataSplits;
import dev.nabla.models.data.ToyDatasets;
import dev.nabla.models.flows.Flows;
import dev.nabla.models.flows.TransformedDistribution;
import dev.nabla.models.optim.Adam;
import dev.nabla.models.flows.density.DistillObjective;
import dev.nabla.models.flows.density.MleObjective;
import dev.nabla.models.train.TrainingLoop;
import dev.nabla.models.train.TrainingOptions;

import java.util.Locale;
import java.util.Map;

/**
 * Probability density distillation on two moons (Parallel WaveNet's recipe at toy scale): a MAF
 * teacher is trained by maximum likelihood ({@link MleObjective}), then frozen; an IAF student of the
 * same size is trained on {@code KL(student‖teacher)} from its own samples ({@link DistillObjective});
 * both through the library's {@link TrainingLoop}. Prints both
 * models' test log-likelihoods (the student's by its {@code D}-pass density), the final KL estimate,
 * and the time each takes to draw the same number of samples.
 *
 * <pre>
 *   DistillationMain [teacherSteps=3000] [studentSteps=6000] [blocks=6] [hidden=64] [seed=1]
 * </pre>
 */
public final class DistillationMain {
    private DistillationMain() {
    }

    /** Runs the measurement; arguments as in the class comment. */
    public static void main(String[] args) {
        int teacherSteps = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int studentSteps = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
        int blocks = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        int hidden = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        TensorFactory f = TensorFactory.on(Nabla.backend());
        DataSplits data = ToyDatasets.splits("moons", 4096, 1024, 4096, seed);
        Map<String, Object> cfg = Map.of("dim", 2, "blocks", blocks, "hidden", hidden);
        try (TransformedDistribution teacher = Flows.model("maf", f, new Generator(seed + 1000), cfg);
             TransformedDistribution student = Flows.model("iaf", f, new Generator(seed + 2000), cfg);
             Adam teacherAdam = new Adam(teacher.namedParameters(), 1e-3);
             Adam studentAdam = new Adam(student.namedParameters(), 1e-3)) {
            System.out.printf("backend %s; teacher: MAF, %d blocks, hidden %d, %d MLE steps%n", f.backend().name(), blocks,
                    hidden, teacherSteps);
            // The teacher is trained exactly as in CompareFlowsMain (unshuffled, the test set evaluated once at the end).
            TrainingLoop mle = new TrainingLoop(new MleObjective(teacher, data.train(), data.test()), teacherAdam,
                    new TrainingOptions().batchSize(256).shuffle(false).seed(seed).maxSteps(teacherSteps)
                            .epochs(CompareFlowsMain.epochsFor(teacherSteps, data.train().size(), 256))
                            .validateEvery(teacherSteps));
            mle.addListener(new StepLog(Math.max(1, teacherSteps / 5), "loss", System.out));
            double teacherLl = -mle.run().metrics().get("val_loss");
            teacher.eval();
            System.out.printf(Locale.ROOT, "teacher test log-likelihood %.4f%n", teacherLl);

            System.out.printf("student: IAF, %d distillation steps of 256 samples%n", studentSteps);
            // One epoch of studentSteps steps; validation (8192 fresh samples) once, after the last step.
            TrainingLoop distill = new TrainingLoop(new DistillObjective(student, teacher, 8192), studentAdam,
                    new TrainingOptions().batchSize(256).stepsPerEpoch(studentSteps).epochs(1).seed(seed + 3000));
            distill.addListener(new StepLog(Math.max(1, studentSteps / 10), "KL", System.out));
            double kl = distill.run().metrics().get("val_loss");
            student.eval();
            double studentLl = StepLog.meanLogProb(student, data.test());
            System.out.printf(Locale.ROOT, "student test log-likelihood %.4f (teacher %.4f, difference %+.4f); "
                    + "KL(student||teacher) estimate %.4f%n", studentLl, teacherLl, studentLl - teacherLl, kl);

            int n = 4096;
            double tTeacher = timeSampling(teacher, n, seed);
            double tStudent = timeSampling(student, n, seed);
            System.out.printf(Locale.ROOT, "sampling %d points: teacher (MAF, %d passes per layer) %.2f ms, "
                    + "student (IAF, 1 pass) %.2f ms, ratio %.2fx%n", n, 2, tTeacher, tStudent, tTeacher / tStudent);
            System.out.printf(Locale.ROOT, "RESULT teacher_ll=%.4f student_ll=%.4f diff=%+.4f kl=%.4f "
                    + "teacher_ms=%.2f student_ms=%.2f speedup=%.2f%n", teacherLl, studentLl, studentLl - teacherLl, kl,
                    tTeacher, tStudent, tTeacher / tStudent);
        }
    }

    /** Median over 15 timed runs (after 5 warm-up runs) of drawing {@code n} samples without recording. */
    static double timeSampling(TransformedDistribution model, int n, long seed) {
        double[] times = new double[15];
        try (GradMode ignored = Nabla.noGrad()) {
            for (int r = -5; r < times.length; r++) {
                try (Scope s = Scope.open()) {
                    long t0 = System.nanoTime();
                    Tensor x = model.sample(n, new Generator(seed + r));
                    x.toFloatArray();
                    if (r >= 0) {
                        times[r] = (System.nanoTime() - t0) / 1e6;
                    }
                }
            }
        }
        java.util.Arrays.sort(times);
        return times[times.length / 2];
    }
}
