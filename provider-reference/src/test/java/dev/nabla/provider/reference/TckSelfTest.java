package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Device;
import dev.nabla.api.types.Shape;
import dev.nabla.api.types.UnsupportedKernelException;
import dev.nabla.tck.BackendConformanceSuite;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
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
    static final Backend NO_ERF = wrap("deliberately-without-erf", k -> new DelegatingKernels(k) {
        @Override
        public void unary(UnaryOp op, Storage x, Storage out) {
            if (op == UnaryOp.ERF) {
                throw new UnsupportedKernelException("deliberately-without-erf: unary ERF is not implemented");
            }
            super.unary(op, x, out);
        }
    });

    /** A reference backend whose exp is off by one part in a million. */
    static final Backend BAD_EXP = wrap("deliberately-wrong-exp", k -> new DelegatingKernels(k) {
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

    /** The tck on the erf-less backend, reporting rather than failing. */
    static class LenientNoErfSuite extends BackendConformanceSuite {
        LenientNoErfSuite() {
            super(NO_ERF, false);
        }
    }

    /** The tck on the erf-less backend, requiring completeness. */
    static class StrictNoErfSuite extends BackendConformanceSuite {
        StrictNoErfSuite() {
            super(NO_ERF);
        }
    }

    /** The tck on the backend with a wrong exp. */
    static class BadExpSuite extends BackendConformanceSuite {
        BadExpSuite() {
            super(BAD_EXP);
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

    private static Backend wrap(String name, UnaryOperator<Kernels> change) {
        Backend reference = new ReferenceBackendProvider().create();
        Kernels kernels = change.apply(reference.kernels());
        return new Backend() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Device device() {
                return reference.device();
            }

            @Override
            public Kernels kernels() {
                return kernels;
            }
        };
    }

    /** Kernels that forward every call to another set; subclasses change one. */
    static class DelegatingKernels implements Kernels {
        private final Kernels k;

        DelegatingKernels(Kernels k) {
            this.k = k;
        }

        @Override
        public Storage allocate(DType dtype, long size) {
            return k.allocate(dtype, size);
        }

        @Override
        public Storage fromArray(Object array) {
            return k.fromArray(array);
        }

        @Override
        public Object toArray(Storage storage) {
            return k.toArray(storage);
        }

        @Override
        public void fill(Storage out, double value) {
            k.fill(out, value);
        }

        @Override
        public void copy(Storage src, Storage out) {
            k.copy(src, out);
        }

        @Override
        public void cast(Storage src, Storage out) {
            k.cast(src, out);
        }

        @Override
        public void unary(UnaryOp op, Storage x, Storage out) {
            k.unary(op, x, out);
        }

        @Override
        public void binary(BinaryOp op, Storage a, Shape aShape, Storage b, Shape bShape, Storage out, Shape outShape) {
            k.binary(op, a, aShape, b, bShape, out, outShape);
        }

        @Override
        public void where(Storage cond, Shape condShape, Storage a, Shape aShape, Storage b, Shape bShape,
                          Storage out, Shape outShape) {
            k.where(cond, condShape, a, aShape, b, bShape, out, outShape);
        }

        @Override
        public void reduce(ReduceOp op, Storage x, Shape shape, int[] axes, Storage out) {
            k.reduce(op, x, shape, axes, out);
        }

        @Override
        public void argReduce(boolean max, Storage x, Shape shape, int axis, Storage out) {
            k.argReduce(max, x, shape, axis, out);
        }

        @Override
        public void cumsum(Storage x, Shape shape, int axis, Storage out) {
            k.cumsum(x, shape, axis, out);
        }

        @Override
        public void matmul(Storage a, Shape aShape, boolean transposeA, Storage b, Shape bShape, boolean transposeB,
                           Storage out, Shape outShape) {
            k.matmul(a, aShape, transposeA, b, bShape, transposeB, out, outShape);
        }

        @Override
        public void stridedRead(Storage x, long offset, long[] strides, Shape outShape, Storage out) {
            k.stridedRead(x, offset, strides, outShape, out);
        }

        @Override
        public void stridedWrite(Storage src, Shape srcShape, Storage out, long offset, long[] strides,
                                 boolean accumulate) {
            k.stridedWrite(src, srcShape, out, offset, strides, accumulate);
        }

        @Override
        public void indexSelect(Storage x, Shape shape, int axis, Storage index, Storage out) {
            k.indexSelect(x, shape, axis, index, out);
        }

        @Override
        public void indexAdd(Storage src, Storage index, int axis, Storage out, Shape outShape) {
            k.indexAdd(src, index, axis, out, outShape);
        }

        @Override
        public void gather(Storage x, Shape shape, int axis, Storage index, Shape indexShape, Storage out) {
            k.gather(x, shape, axis, index, indexShape, out);
        }

        @Override
        public void scatterAdd(Storage src, Storage index, Shape indexShape, int axis, Storage out, Shape outShape) {
            k.scatterAdd(src, index, indexShape, axis, out, outShape);
        }
    }
}
