package dev.nabla.models.flows.density;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.models.nn.Block;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Probability density distillation (van den Oord et al., 2018, Parallel WaveNet): fit a student
 * {@code q} that samples fast to a fixed teacher {@code p} that evaluates densities, by the reverse KL
 * estimated on the student's own reparameterised samples:
 * <pre>
 *   KL(q ‖ p) = E_{x~q}[log q(x) - log p(x)] ≈ (1/B) Σ_i (log q(x_i) - log p(x_i)),   x_i ~ q
 * </pre>
 * The gradient reaches the student through both terms (the samples depend on its parameters); the
 * teacher's parameters are frozen ({@code requiresGrad(false)}) for the run and restored afterwards,
 * so no gradient accumulates in them and no optimizer sees them; a teacher that is a {@code Block} runs
 * in evaluation mode. Validation is the same estimate on
 * a fixed number of fresh samples.
 */
public final class DistillObjective extends ModelObjective {
    private final SamplingModel student;
    private final DensityModel teacher;
    private final int validationSamples;
    private final Map<Tensor, Boolean> teacherRequiresGrad = new IdentityHashMap<>();
    private boolean teacherWasTraining;

    /**
     * @param student           the model being trained
     * @param teacher           the fixed target density
     * @param validationSamples samples per validation estimate (0 disables validation)
     */
    public DistillObjective(SamplingModel student, DensityModel teacher, int validationSamples) {
        if (student == teacher) {
            throw new IllegalArgumentException("distill: the student and the teacher must be different models");
        }
        super("distill", "student", student);
        for (Tensor t : teacher.namedParameters().values()) {
            for (Tensor s : student.namedParameters().values()) {
                if (t == s) {
                    throw new IllegalArgumentException("distill: the student and the teacher share a parameter");
                }
            }
        }
        this.student = student;
        this.teacher = teacher;
        this.validationSamples = validationSamples;
    }

    @Override
    public int trainingSize() {
        return 0;
    }

    @Override
    public Tensor loss(int[] batch, int batchSize, Generator random) {
        Sample s = student.sampleWithLogProb(batchSize, random);
        return s.logProb().sub(teacher.logProb(s.value())).mean();
    }

    @Override
    public double validationLoss(int batchSize, Generator random) {
        if (validationSamples < 1) {
            return Double.NaN;
        }
        return chunkedMean(validationSamples, batchSize, (from, to) -> {
            Sample s = student.sampleWithLogProb(to - from, random);
            return s.logProb().sub(teacher.logProb(s.value()));
        });
    }

    @Override
    public void begin() {
        if (teacher instanceof Block b) {
            teacherWasTraining = b.isTraining();
            b.eval();
        }
        for (Tensor t : teacher.namedParameters().values()) {
            teacherRequiresGrad.put(t, t.requiresGrad());
            t.requiresGrad(false);
        }
    }

    @Override
    public void end() {
        teacherRequiresGrad.forEach(Tensor::requiresGrad);
        teacherRequiresGrad.clear();
        if (teacher instanceof Block b) {
            b.train(teacherWasTraining);
        }
    }
}
