package dev.nabla.provider.reference;

import dev.nabla.tck.ForwardingKernels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.NablaException;
import dev.nabla.api.types.ReleasedTensorException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scopes, views, parameters and in-place updates, as the api defines them, on the reference backend. */
class TensorLifecycleTest {
    private final Backend backend = new ReferenceBackendProvider().create();
    private final TensorFactory f = TensorFactory.on(backend);

    @Test
    void scopeReleasesWhatItOwnsAndKeepsWhatItIsTold() {
        Tensor kept;
        Tensor dropped;
        try (Scope s = Scope.open()) {
            dropped = f.ones(2, 3);
            kept = s.keep(dropped.mul(2.0));
            assertEquals(2, s.size(), "the ones tensor and the scalar 2.0 remain owned");
        }
        assertTrue(dropped.isReleased());
        assertFalse(kept.isReleased());
        assertArrayEquals(new float[] {2, 2, 2, 2, 2, 2}, kept.toFloatArray());
        ReleasedTensorException e = assertThrows(ReleasedTensorException.class, () -> dropped.add(1.0));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[2, 3] float32"), e.getMessage());
        kept.close();
        assertTrue(kept.isReleased());
    }

    @Test
    void keepInANestedScopeHandsTheTensorToTheOuterOne() {
        Tensor t;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                t = inner.keep(f.zeros(4));
            }
            assertFalse(t.isReleased());
            assertEquals(1, outer.size());
        }
        assertTrue(t.isReleased(), "the outer scope owned it and released it");
    }

    @Test
    void keptViewOutlivesItsBase() {
        Tensor view;
        Tensor base;
        try (Scope s = Scope.open()) {
            base = f.arange(0, 6, 1);
            view = s.keep(base.reshape(2, 3));
        }
        assertTrue(base.isReleased());
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5}, view.toLongArray());
        view.close();
    }

    @Test
    void scopesCloseInOrder() {
        Scope outer = Scope.open();
        Scope inner = Scope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }

    @Test
    void parametersOutliveScopesAndUpdateInPlace() {
        Tensor p;
        try (Scope s = Scope.open()) {
            p = f.ones(3).toParameter();
            Tensor loss = p.mul(p).sum();
            loss.backward();
        }
        assertFalse(p.isReleased());
        assertTrue(p.isParameter() && p.requiresGrad());
        assertArrayEquals(new float[] {2, 2, 2}, p.grad().toFloatArray());
        p.addInPlace(p.grad(), -0.5);
        assertArrayEquals(new float[] {0, 0, 0}, p.toFloatArray());
        p.zeroGrad();
        assertArrayEquals(new float[] {0, 0, 0}, p.grad().toFloatArray());
        p.assign(f.full(p.shape(), 7.0, p.dtype()));
        assertArrayEquals(new float[] {7, 7, 7}, p.toFloatArray());
        NablaException e = assertThrows(NablaException.class, () -> f.ones(3).assign(f.zeros(3)));
        assertTrue(e.getMessage().contains("immutable"), e.getMessage());
        p.close();
        assertTrue(p.isReleased());
    }

    @Test
    void backwardAfterTheForwardScopeClosedIsAClearError() {
        Tensor w = f.ones(2).requiresGrad(true);
        Tensor loss;
        try (Scope s = Scope.open()) {
            loss = s.keep(w.exp().sum());
        }
        ReleasedTensorException e = assertThrows(ReleasedTensorException.class, loss::backward);
        assertTrue(e.getMessage().contains("backward"), e.getMessage());
    }

    @Test
    void detachCutsTheGraphAndNoGradRecordsNothing() {
        Tensor w = f.ones(2).requiresGrad(true);
        Tensor d = w.mul(3.0).detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        try (var ignored = Autograd.noGrad()) {
            Tensor y = w.mul(2.0);
            assertFalse(y.requiresGrad());
            assertNull(y.gradFnName());
        }
        Tensor y = w.mul(2.0);
        assertEquals("mul", y.gradFnName());
        NablaException e = assertThrows(NablaException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("not a leaf"), e.getMessage());
    }

    @Test
    void secondOrderGradientsThroughCreateGraph() {
        // y = x^3 ⇒ dy/dx = 3x², d²y/dx² = 6x
        Tensor x = f.of(new double[] {0.5, -2.0, 3.0}, 3).requiresGrad(true);
        Tensor y = x.pow(3.0).sum();
        Tensor g = Autograd.grad(y, List.of(x), null, true).getFirst();
        assertArrayEquals(new double[] {0.75, 12.0, 27.0}, g.toDoubleArray(), 1e-12);
        Tensor gg = Autograd.grad(g.sum(), List.of(x)).getFirst();
        assertArrayEquals(new double[] {3.0, -12.0, 18.0}, gg.toDoubleArray(), 1e-12);
    }

    @Test
    void gradOfAnUnusedInputIsRefusedUnlessAllowedAndOfANonScalarNeedsASeed() {
        Tensor a = f.ones(2).requiresGrad(true);
        Tensor b = f.ones(3).requiresGrad(true);
        NablaException unused = assertThrows(NablaException.class, () -> Autograd.grad(a.sum(), List.of(a, b)));
        assertTrue(unused.getMessage().startsWith("grad: input 1 [3] float32 is not used"), unused.getMessage());
        List<Tensor> g = Autograd.grad(a.sum(), List.of(a, b), null, false, true);
        assertArrayEquals(new float[] {0, 0, 0}, g.get(1).toFloatArray());
        NablaException e = assertThrows(NablaException.class, () -> a.mul(2.0).backward());
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        a.mul(2.0).backward(f.of(new float[] {1, 10}, 2));
        assertArrayEquals(new float[] {2, 20}, a.grad().toFloatArray());
    }

    @Test
    void fusedLogSoftmaxAgreesWithTheComposition() {
        Backend plain = ForwardingKernels.backend("reference-unfused", new ReferenceBackendProvider().create(), k -> k);
        assertTrue(backend.fused(dev.nabla.api.backend.LogSoftmaxKernel.class).isPresent());
        double[] v = {1, 2, 3, -4, 0.5, 100, 101, -100, 7, 7, 7, 7};
        Tensor a = f.of(v, 3, 4).requiresGrad(true);
        Tensor b = TensorFactory.on(plain).of(v, 3, 4).requiresGrad(true);
        Tensor ya = a.logSoftmax(1);
        Tensor yb = b.logSoftmax(1);
        assertArrayEquals(yb.toDoubleArray(), ya.toDoubleArray(), 1e-12);
        double[] r = {0.3, -1, 2, 0.5, 1, 1, -2, 0, 0.1, 0.2, 0.3, 0.4};
        ya.mul(f.of(r, 3, 4)).sum().backward();
        yb.mul(TensorFactory.on(plain).of(r, 3, 4)).sum().backward();
        assertArrayEquals(b.grad().toDoubleArray(), a.grad().toDoubleArray(), 1e-12);
        assertSame(backend, a.backend());
    }
}
