package dev.nabla.provider.reference;

import dev.nabla.tck.ForwardingKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.FusedKernel;
import dev.nabla.api.backend.FusedKernels;
import dev.nabla.api.backend.LogSoftmaxKernel;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.UnsupportedKernelException;
import dev.nabla.provider.reference.kernels.ReferenceKernels;
import dev.nabla.provider.reference.kernels.ReferenceLogSoftmax;
import dev.nabla.tck.BackendConformanceSuite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Tests the test kit: run against deliberately incomplete or broken backends, the tck must report
 * UNSUPPORTED ops (as aborted checks, or as failures when completeness is required) and must fail
 * on a wrong kernel — it can never pass a backend that is wrong.
 */
class TckSelfTest {

    /** A reference backend whose erf kernel is missing. */
    static final Backend NO_ERF = ForwardingKernels.backend("deliberately-without-erf", new ReferenceBackendProvider().create(), k -> new ForwardingKernels(k) {
        @Override
        public void unary(UnaryOp op, Storage x, Storage out) {
            if (op == UnaryOp.ERF) {
                throw new UnsupportedKernelException("deliberately-without-erf: unary ERF is not implemented");
            }
            super.unary(op, x, out);
        }
    });

    /** A reference backend whose exp is off by one part in a million. */
    static final Backend BAD_EXP = ForwardingKernels.backend("deliberately-wrong-exp", new ReferenceBackendProvider().create(), k -> new ForwardingKernels(k) {
        @Override
        public void unary(UnaryOp op, Storage x, Storage out) {
            super.unary(op, x, out);
            if (op == UnaryOp.EXP) {
                super.binary(BinaryOp.MUL, out, Shape.of(Math.toIntExact(out.size())),
                        fromArray(out.dtype() == DType.FLOAT64 ? new double[] {1 + 1e-6} : new float[] {1 + 1e-4f}),
                        Shape.of(1), out, Shape.of(Math.toIntExact(out.size())));
            }
        }
    });

    /** A kind of fused kernel the api does not know. */
    interface Unheard extends FusedKernel {
    }

    /**
     * A reference backend offering a fused log-softmax whose backward is off by one part in a million
     * (its forward is right), and a fused kernel of a kind the api does not know.
     */
    static final Backend BAD_FUSED = ForwardingKernels.backend("deliberately-wrong-fused",
            new ReferenceBackendProvider().create(), k -> k, FusedKernels.builder()
                    .add(LogSoftmaxKernel.class, new LogSoftmaxKernel() {
                        private final ReferenceLogSoftmax right = new ReferenceLogSoftmax();

                        @Override
                        public void logSoftmax(Storage x, Shape shape, int axis, Storage out) {
                            right.logSoftmax(x, shape, axis, out);
                        }

                        @Override
                        public void logSoftmaxBackward(Storage gradOut, Storage y, Shape shape, int axis,
                                                       Storage gradIn) {
                            right.logSoftmaxBackward(gradOut, y, shape, axis, gradIn);
                            var k = new ReferenceKernels();
                            Shape flat = Shape.of(Math.toIntExact(gradIn.size()));
                            k.binary(BinaryOp.MUL, gradIn, flat, k.fromArray(gradIn.dtype() == DType.FLOAT64
                                    ? new double[] {1 + 1e-6} : new float[] {1 + 1e-3f}), Shape.of(1), gradIn, flat);
                        }
                    })
                    .add(Unheard.class, new Unheard() { })
                    .build());

    /** The tck on the backend with a wrong fused kernel. */
    static class BadFusedSuite extends BackendConformanceSuite {
        BadFusedSuite() {
            super(BAD_FUSED);
        }

        @Override
        protected boolean reportsSummary() {
            return false;   // fails on purpose: its report is asserted, not shown
        }
    }

    /** The tck on the erf-less backend, reporting rather than failing. */
    static class LenientNoErfSuite extends BackendConformanceSuite {
        LenientNoErfSuite() {
            super(NO_ERF, false);
        }

        @Override
        protected boolean reportsSummary() {
            return false;   // fails on purpose: its report is asserted, not shown
        }
    }

    /** The tck on the erf-less backend, requiring completeness. */
    static class StrictNoErfSuite extends BackendConformanceSuite {
        StrictNoErfSuite() {
            super(NO_ERF);
        }

        @Override
        protected boolean reportsSummary() {
            return false;   // fails on purpose: its report is asserted, not shown
        }
    }

    /** The tck on the backend with a wrong exp. */
    static class BadExpSuite extends BackendConformanceSuite {
        BadExpSuite() {
            super(BAD_EXP);
        }

        @Override
        protected boolean reportsSummary() {
            return false;   // fails on purpose: its report is asserted, not shown
        }
    }

    @Test
    void unsupportedOpsAreAbortedWithTheReasonNotPassed() {
        Outcome o = run(LenientNoErfSuite.class);
        assertEquals(0, o.failed.size(), "failed: " + o.failed);
        assertTrue(o.aborted.size() > 10, "erf and gelu checks must be reported, got " + o.aborted.size());
        assertTrue(o.aborted.stream().allMatch(r -> r.startsWith("UNSUPPORTED: ")), o.aborted.toString());
        assertTrue(o.aborted.stream().anyMatch(r -> r.startsWith("UNSUPPORTED: erf")), o.aborted.toString());
        assertTrue(o.aborted.stream().anyMatch(r -> r.startsWith("UNSUPPORTED: gelu")),
                "gelu is composed from erf, so it is unsupported too: " + o.aborted);
        assertTrue(o.succeeded > 1000, "the rest still runs: " + o.succeeded);
    }

    @Test
    void unsupportedOpsFailWhenCompletenessIsRequired() {
        Outcome lenient = run(LenientNoErfSuite.class);
        Outcome strict = run(StrictNoErfSuite.class);
        assertEquals(0, strict.aborted.size(), strict.aborted.toString());
        assertEquals(lenient.aborted.size(), strict.failed.size());
        assertTrue(strict.failed.stream().allMatch(r -> r.contains("UNSUPPORTED")), strict.failed.toString());
    }

    @Test
    void aWrongKernelFailsTheSuite() {
        Outcome o = run(BadExpSuite.class);
        assertTrue(o.failed.size() > 5, "a wrong exp must fail forward and gradient checks, failed " + o.failed.size());
        assertTrue(o.failed.stream().anyMatch(r -> r.contains("exp")), o.failed.toString());
    }

    @Test
    void everyFusedKernelIsCheckedAgainstItsComposedForm() {
        Outcome o = run(BadFusedSuite.class);
        List<String> fused = o.failed.stream().filter(r -> r.startsWith("fused ")).toList();
        assertTrue(fused.stream().anyMatch(r -> r.startsWith("fused logSoftmax") && r.contains("gradient")),
                "the wrong backward must fail the fused checks: " + o.failed);
        assertTrue(fused.stream().noneMatch(r -> r.startsWith("fused logSoftmax") && r.contains(": output")),
                "the forward is right: " + fused);
        assertTrue(fused.stream().anyMatch(r -> r.contains("Unheard") && r.contains("FusedOps describes no op")),
                "a kind the api does not know must fail: " + fused);
    }

    // ------------------------------------------------------------------ harness

    private record Outcome(int succeeded, List<String> failed, List<String> aborted) {
    }

    private static Outcome run(Class<?> suite) {
        List<String> failed = new ArrayList<>();
        List<String> aborted = new ArrayList<>();
        int[] ok = {0};
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                String why = result.getThrowable().map(Throwable::getMessage).orElse("");
                switch (result.getStatus()) {
                    case SUCCESSFUL -> ok[0]++;
                    case FAILED -> failed.add(id.getDisplayName() + ": " + why);
                    case ABORTED -> aborted.add(why);
                }
            }
        };
        LauncherFactory.create().execute(
                LauncherDiscoveryRequestBuilder.request().selectors(selectClass(suite)).build(), listener);
        return new Outcome(ok[0], failed, aborted);
    }
}
