package dev.nabla.tck;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite of a backend. A provider runs it from its own test folder:
 *
 * <pre>{@code
 * import dev.nabla.provider.reference.ReferenceBackendProvider;
 *
 * class ReferenceConformanceTest extends BackendConformanceSuite {
 *     ReferenceConformanceTest() { super(new ReferenceBackendProvider().create()); }
 * }
 * }</pre>
 *
 * <p>Each check is a JUnit dynamic test generated from the op table: forward values in float64
 * (relative tolerance 1e-10) and float32 (1e-5, against the float64 reference) over sample shapes
 * that include broadcasting pairs, scalars, size-1 and zero-size axes and one large shape; gradients
 * of every differentiable op against central finite differences in float64; creation and seeded
 * randomness; every fused kernel the backend offers against its composed form; error messages; scopes;
 * autodiff bookkeeping. The references are plain float64 loops
 * in the tck, never the backend.
 *
 * <p><b>UNSUPPORTED.</b> A check whose op throws {@link dev.nabla.api.types.UnsupportedKernelException}
 * is reported as UNSUPPORTED: its test is aborted with the reason (surefire shows it as skipped)
 * and it is listed in the summary printed after the class, e.g.
 * {@code tck[reference]: 812 checks, 812 passed, 0 failed, 0 unsupported}. When
 * {@link #requireComplete()} is true (the default, which Nabla's own providers keep) an unsupported
 * op fails its check instead. A third-party provider that implements only part of the kernels
 * passes {@code false} to the constructor or overrides {@link #requireComplete()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceSuite {
    private final Backend backend;
    private final boolean complete;
    private final TensorFactory factory;
    private final Report report;

    /**
     * A suite for {@code backend} that requires it to be complete (every op supported).
     *
     * @param backend the backend under test
     */
    protected BackendConformanceSuite(Backend backend) {
        this(backend, true);
    }

    /**
     * A suite for {@code backend}.
     *
     * @param backend         the backend under test
     * @param requireComplete whether an unsupported op fails its check (true) or is only reported
     *                        as UNSUPPORTED (false)
     */
    protected BackendConformanceSuite(Backend backend, boolean requireComplete) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.complete = requireComplete;
        this.factory = TensorFactory.on(backend);
        this.report = new Report(backend.name());
    }

    /**
     * Whether an unsupported op is a failure rather than an UNSUPPORTED report. Defaults to the
     * constructor argument (true unless given otherwise); override to decide otherwise.
     *
     * @return true if every op must be supported
     */
    protected boolean requireComplete() {
        return complete;
    }

    /** The report, told the current {@link #requireComplete()} (read here, never in the constructor). */
    private Report report() {
        report.requireComplete(requireComplete());
        return report;
    }

    /**
     * The backend under test.
     *
     * @return the backend given to the constructor
     */
    protected final Backend backend() {
        return backend;
    }

    /**
     * Forward values of every op of the table, per sample, in each of the row's dtypes.
     *
     * @return one container per op
     */
    @TestFactory
    public Stream<DynamicNode> forward() {
        List<DynamicNode> ops = new ArrayList<>();
        for (OpInfo op : OpTable.all()) {
            List<DynamicNode> tests = new ArrayList<>();
            for (OpInfo.Sample s : op.samples()) {
                for (DType d : op.dtypes()) {
                    tests.add(report().check(op.name(), op.name() + " " + d + " " + s.label(),
                            () -> Checks.forward(factory, op, s, d)));
                }
            }
            ops.add(DynamicContainer.dynamicContainer(op.name(), tests));
        }
        return ops.stream();
    }

    /**
     * Gradients of every differentiable op against central finite differences, in float64.
     *
     * @return one container per differentiable op
     */
    @TestFactory
    public Stream<DynamicNode> gradients() {
        List<DynamicNode> ops = new ArrayList<>();
        for (OpInfo op : OpTable.all()) {
            if (!op.differentiable()) {
                continue;
            }
            List<DynamicNode> tests = new ArrayList<>();
            for (OpInfo.Sample s : op.samples()) {
                if (s.gradCheck()) {
                    tests.add(report().check(op.name(), op.name() + " grad " + s.label(),
                            () -> Checks.gradient(factory, op, s)));
                }
            }
            if (!tests.isEmpty()) {
                ops.add(DynamicContainer.dynamicContainer(op.name(), tests));
            }
        }
        return ops.stream();
    }

    /**
     * Second-order gradients (the recorded backward pass differentiated again) of every
     * differentiable op, against finite differences of the first-order gradient, on up to three
     * small samples per op.
     *
     * @return one container per differentiable op
     */
    @TestFactory
    public Stream<DynamicNode> secondOrder() {
        List<DynamicNode> ops = new ArrayList<>();
        for (OpInfo op : OpTable.all()) {
            if (!op.secondOrder()) {
                continue;
            }
            List<DynamicNode> tests = new ArrayList<>();
            for (OpInfo.Sample s : op.samples()) {
                int n = s.inputs().stream().filter(OpInfo.Input::isMain).mapToInt(i -> i.value().size()).sum();
                if (s.gradCheck() && n > 0 && n <= 40 && tests.size() < 3) {
                    tests.add(report().check(op.name(), op.name() + " grad of grad " + s.label(),
                            () -> Checks.gradgrad(factory, op, s)));
                }
            }
            if (!tests.isEmpty()) {
                ops.add(DynamicContainer.dynamicContainer(op.name(), tests));
            }
        }
        return ops.stream();
    }

    /**
     * Seeded random tensors: determinism, and moments within statistical bounds.
     *
     * @return the random checks
     */
    @TestFactory
    public Stream<DynamicNode> random() {
        return RandomChecks.all(factory, report()).stream();
    }

    /**
     * Convolution identities: the transposed convolution is the adjoint of the convolution.
     *
     * @return the adjoint checks
     */
    @TestFactory
    public Stream<DynamicNode> convolutionAdjoint() {
        return MiscChecks.adjoint(factory, report()).stream();
    }

    /**
     * Fused kernels: every kind the backend offers through its
     * {@link dev.nabla.api.backend.FusedKernels} registry, against the composed form the tensor layer
     * uses without it ({@link dev.nabla.api.tensor.FusedOps}), in values and gradients, float64 and
     * float32. A backend that offers none has no checks here.
     *
     * @return the fused-kernel checks
     */
    @TestFactory
    public Stream<DynamicNode> fusedKernels() {
        return FusedChecks.all(factory, report()).stream();
    }

    /**
     * Errors: exception types and messages that name the op and the offending shapes or dtypes.
     *
     * @return the error checks
     */
    @TestFactory
    public Stream<DynamicNode> errors() {
        return ErrorChecks.all(factory, report()).stream();
    }

    /**
     * Scopes and lifetimes: released, kept and parameter tensors.
     *
     * @return the scope checks
     */
    @TestFactory
    public Stream<DynamicNode> scopes() {
        return MiscChecks.scopes(factory, report()).stream();
    }

    /**
     * Autodiff bookkeeping: accumulation, zeroGrad, noGrad, detach, second order.
     *
     * @return the autodiff checks
     */
    @TestFactory
    public Stream<DynamicNode> autograd() {
        return MiscChecks.autograd(factory, report()).stream();
    }

    /**
     * Everything else: toString, item, parameters updated in place.
     *
     * @return the remaining checks
     */
    @TestFactory
    public Stream<DynamicNode> misc() {
        return MiscChecks.misc(factory, report()).stream();
    }

    /**
     * Whether {@link #printSummary()} prints (true). A suite that fails on purpose — the tck's own tests
     * of itself — returns false, so a build shows only the conformance lines of real backends.
     */
    protected boolean reportsSummary() {
        return true;
    }

    /** Prints the summary line (and the unsupported ops and failed checks, if any), unless {@link #reportsSummary()} is false. */
    @AfterAll
    public void printSummary() {
        if (reportsSummary()) {
            System.out.println(report().summary());
        }
    }
}
