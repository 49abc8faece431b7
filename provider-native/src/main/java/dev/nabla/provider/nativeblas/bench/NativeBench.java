package dev.nabla.provider.nativeblas.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.NativeBackend;
import dev.nabla.provider.nativeblas.NativeBackendProvider;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * The native backend's benchmark, run by {@code scripts/bench-native}. Every figure is the median of
 * seven timed rounds after three warm-up rounds, and every comparison is made within the same run:
 * <ul>
 *   <li>float32 matmul through the {@code Tensor} API (output allocation included) against
 *       {@code cblas_sgemm} called directly through its own FFM downcall on preallocated memory;</li>
 *   <li>add, mul and exp over 2^20 floats, through the kernels into a preallocated output, against a
 *       {@link MemorySegment#copy} of the same 4 MiB (the memory-bandwidth floor);</li>
 *   <li>the per-op cost of a 16-element add recorded for autodiff, in a scope;</li>
 *   <li>the same workloads on the reference backend, when it is on the module path.</li>
 * </ul>
 * It prints a table; it asserts nothing (speed is shown by benchmarks, never by timed tests).
 */
public final class NativeBench {
    private NativeBench() {
    }

    /** A timed body. */
    @FunctionalInterface
    private interface Body {
        void run() throws Throwable;
    }

    /**
     * Runs the benchmark and prints a table.
     *
     * @param args ignored
     * @throws Throwable if a downcall fails
     */
    public static void main(String[] args) throws Throwable {
        NativeBackendProvider provider = new NativeBackendProvider();
        System.out.println("native: " + provider.availability().reason());
        Optional<Backend> reference = Backends.providers().stream().filter(p -> p.name().equals("reference"))
                .findFirst().map(BackendProvider::create);
        try (NativeBackend nat = provider.create(); Arena arena = Arena.ofConfined()) {
            TensorFactory f = TensorFactory.on(nat);
            Generator gen = new Generator(0);
            MethodHandle sgemm = directSgemm();
            System.out.printf("%-46s %12s %12s %8s%n", "workload", "native", "baseline", "ratio");

            // ---------------------------------------------------------------- matmul
            for (int n : new int[] {64, 256, 1024, 2048}) {
                int reps = n <= 64 ? 2000 : n <= 256 ? 100 : n <= 1024 ? 5 : 2;
                Tensor a = f.randn(gen, n, n);
                Tensor b = f.randn(gen, n, n);
                double t = median(() -> a.matmul(b), reps);
                MemorySegment ma = arena.allocate((long) n * n * 4, 64);
                MemorySegment mb = arena.allocate((long) n * n * 4, 64);
                MemorySegment mc = arena.allocate((long) n * n * 4, 64);
                // the same kind of data as the tensors (normal floats, no denormal products)
                MemorySegment.copy(randomFloats(n * n, 3), 0, ma, JAVA_FLOAT, 0, n * n);
                MemorySegment.copy(randomFloats(n * n, 4), 0, mb, JAVA_FLOAT, 0, n * n);
                double d = median(() -> {
                    sgemm.invokeExact(101, 111, 111, n, n, n, 1.0f, ma, n, mb, n, 0.0f, mc, n);
                }, reps);
                double flop = 2.0 * n * n * n;
                row(String.format("matmul f32 %dx%d GFLOP/s vs direct sgemm", n, n), flop / t / 1e9,
                        flop / d / 1e9, d / t);
                if (reference.isPresent() && n <= 256) {
                    TensorFactory r = TensorFactory.on(reference.get());
                    Tensor ra = r.randn(gen, n, n);
                    Tensor rb = r.randn(gen, n, n);
                    double rt = median(() -> ra.matmul(rb), n <= 64 ? 200 : 5);
                    row(String.format("matmul f32 %dx%d GFLOP/s vs reference", n, n), flop / t / 1e9,
                            flop / rt / 1e9, rt / t);
                }
            }

            // ---------------------------------------------------------------- elementwise, 1M floats
            int m = 1 << 20;
            Kernels k = nat.kernels();
            Shape s = Shape.of(m);
            Storage x = k.fromArray(randomFloats(m, 1));
            Storage y = k.fromArray(randomFloats(m, 2));
            Storage out = k.allocate(DType.FLOAT32, m);
            MemorySegment src = arena.allocate(4L * m, 64);
            MemorySegment dst = arena.allocate(4L * m, 64);
            double copy = median(() -> MemorySegment.copy(src, 0, dst, 0, 4L * m), 200);
            double add = median(() -> k.binary(BinaryOp.ADD, x, s, y, s, out, s), 200);
            double mul = median(() -> k.binary(BinaryOp.MUL, x, s, y, s, out, s), 200);
            double exp = median(() -> k.unary(UnaryOp.EXP, x, out), 50);
            row("add 1M f32 (µs) vs MemorySegment.copy 4 MiB", add * 1e6, copy * 1e6, copy / add);
            row("mul 1M f32 (µs) vs MemorySegment.copy 4 MiB", mul * 1e6, copy * 1e6, copy / mul);
            row("exp 1M f32 (µs) vs MemorySegment.copy 4 MiB", exp * 1e6, copy * 1e6, copy / exp);
            if (reference.isPresent()) {
                Kernels rk = reference.get().kernels();
                Storage rx = rk.fromArray(randomFloats(m, 1));
                Storage ry = rk.fromArray(randomFloats(m, 2));
                Storage ro = rk.allocate(DType.FLOAT32, m);
                row("add 1M f32 (µs) vs reference", add * 1e6,
                        median(() -> rk.binary(BinaryOp.ADD, rx, s, ry, s, ro, s), 50) * 1e6, 0);
                row("exp 1M f32 (µs) vs reference", exp * 1e6,
                        median(() -> rk.unary(UnaryOp.EXP, rx, ro), 20) * 1e6, 0);
            }
            for (Storage st : new Storage[] {x, y, out}) {
                st.release();
            }

            // ---------------------------------------------------------------- per-op cost
            double perOp = perOpAdd(f, gen);
            double perOpPlain = perOpAddPlain(f, gen);
            if (reference.isPresent()) {
                TensorFactory r = TensorFactory.on(reference.get());
                row("add 16 f32, recording grad (µs/op) vs reference", perOp * 1e6, perOpAdd(r, gen) * 1e6, 0);
                row("add 16 f32, no grad (µs/op) vs reference", perOpPlain * 1e6, perOpAddPlain(r, gen) * 1e6, 0);
            } else {
                row("add 16 f32, recording grad (µs/op)", perOp * 1e6, Double.NaN, 0);
            }

            // ---------------------------------------------------------------- a small MLP step
            double mlp = mlpStep(f, gen);
            if (reference.isPresent()) {
                row("MLP 256-512-10, batch 128, fwd+bwd (ms)", mlp * 1e3,
                        mlpStep(TensorFactory.on(reference.get()), gen) * 1e3, 0);
            } else {
                row("MLP 256-512-10, batch 128, fwd+bwd (ms)", mlp * 1e3, Double.NaN, 0);
            }
            System.out.println("ratio: native/direct for GFLOP/s rows, copy/kernel for bandwidth rows, "
                    + "reference/native for time rows");
        }
    }

    private static double perOpAdd(TensorFactory f, Generator gen) throws Throwable {
        Tensor a = f.randn(gen, 16).requiresGrad(true);
        Tensor b = f.randn(gen, 16).requiresGrad(true);
        return median(() -> a.add(b), 20_000);
    }

    private static double perOpAddPlain(TensorFactory f, Generator gen) throws Throwable {
        Tensor a = f.randn(gen, 16);
        Tensor b = f.randn(gen, 16);
        return median(() -> a.add(b), 20_000);
    }

    private static double mlpStep(TensorFactory f, Generator gen) throws Throwable {
        Tensor w1 = f.randn(gen, 256, 512).mul(0.05).toParameter();
        Tensor w2 = f.randn(gen, 512, 10).mul(0.05).toParameter();
        Tensor in = f.randn(gen, 128, 256);
        double t = median(() -> in.matmul(w1).tanh().matmul(w2).logSoftmax(1).mean().backward(), 10);
        w1.close();
        w2.close();
        return t;
    }

    private static void row(String name, double value, double baseline, double ratio) {
        if (ratio == 0) { // a time row against the reference: how many times faster native is
            ratio = baseline / value;
        }
        System.out.printf("%-46s %12.2f %12.2f %8.2f%n", name, value, baseline, ratio);
    }

    private static float[] randomFloats(int n, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return a;
    }

    /** A downcall to {@code cblas_sgemm} of the library the backend loaded, made here, not by the backend. */
    private static MethodHandle directSgemm() {
        String origin = BlasLocator.standard().locate().library().orElseThrow().origin();
        SymbolLookup lib = origin.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(origin), Arena.global())
                : SymbolLookup.libraryLookup(origin, Arena.global());
        return Linker.nativeLinker().downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
    }

    /** Median seconds per call, over 7 timed rounds of {@code reps} calls after 3 warm-up rounds, in a scope each. */
    private static double median(Body body, int reps) throws Throwable {
        double[] rounds = new double[7];
        for (int r = -3; r < rounds.length; r++) {
            try (Scope ignored = Scope.open()) {
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    body.run();
                }
                long t1 = System.nanoTime();
                if (r >= 0) {
                    rounds[r] = (t1 - t0) / 1e9 / reps;
                }
            }
        }
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }
}
