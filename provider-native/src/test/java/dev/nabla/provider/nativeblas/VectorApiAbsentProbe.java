package dev.nabla.provider.nativeblas;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;

/**
 * The child JVM's main of {@link VectorApiAbsentTest}: finds the native provider like an application
 * would, runs a few float32 kernels that have Vector API twins, checks the answers and prints the
 * backend's description; exits non-zero on any wrong answer.
 */
public final class VectorApiAbsentProbe {
    private VectorApiAbsentProbe() {
    }

    /**
     * Runs the probe.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals("native"))
                .findFirst().orElseThrow();
        if (!provider.availability().available()) {
            throw new IllegalStateException("native unavailable: " + provider.availability().reason());
        }
        Backend backend = provider.create();
        System.out.println("backend: " + backend);
        int n = 40;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / 8.0 - 2;
        }
        TensorFactory f = TensorFactory.on(backend);
        Tensor t = f.of(x, n).to(DType.FLOAT32);
        double[] got = t.exp().add(t).tanh().toDoubleArray();
        double sum = t.sum().toDoubleArray()[0];
        for (int i = 0; i < n; i++) {
            float v = (float) x[i];
            double expected = Math.tanh((float) ((float) Math.exp(v) + v));
            if (Math.abs(got[i] - expected) > 1e-6) {
                throw new AssertionError("element " + i + ": expected " + expected + ", got " + got[i]);
            }
        }
        if (Math.abs(sum - 17.5) > 1e-5) {
            throw new AssertionError("sum: expected 17.5, got " + sum);
        }
        System.out.println("probe: answers right");
    }
}
