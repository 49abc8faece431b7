package dev.nabla.provider.nativeblas.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The native backend's benchmark, run by {@code scripts/bench-native}. Every figure is the median of
 * seven timed rounds after three warm-up rounds, and every comparison is made within the same run,
 * with the rounds of the two sides interleaved so that a busy machine slows both alike:
 * <ul>
 *   <li>float32 matmul through the {@code Tensor} API (output allocation included) against
 *       {@code cblas_sgemm} called directly through its own FFM downcall on preallocated memory;</li>
 *   <li>add, mul and exp over 2^20 floats, through the kernels into a preallocated output, against a
 *       {@link MemorySegment#copy} of the same 4 MiB (the memory-bandwidth floor);</li>
 *   <li>the per-op cost of a 16-element add recorded for autodiff, {@value #OPS} ops per scope, the
 *       scope's closing (which frees them) included;</li>
 *   <li>a training step (forward and backward) of a 256-512-10 MLP on a batch of 128 and of a 64-128-10
 *       MLP on a batch of 32;</li>
 *   <li>the same workloads on the reference backend, when it is on the module path;</li>
 *   <li>the Vector API loops against the plain loops (a second native backend created with
 *       {@code -Dnabla.native.vector=false}): add, mul, exp, tanh, log, sum and relu's backward (a comparison
 *       and a {@code where}) over 16, 4K, 64K and 1M floats, and the MLP step;</li>
 *   <li>with {@code -Dnabla.bench.peer=FILE}, the lines {@code peer <key> <value>} that
 *       {@code scripts/bench_torch_peer.py} printed for the same workloads in PyTorch (run just before,
 *       by {@code scripts/bench-vs-torch}), set against this run's native figures.</li>
 * </ul>
 * It prints tables; it asserts nothing (speed is shown by benchmarks, never by timed tests).
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
        Map<String, Double> figures = new LinkedHashMap<>();
        Optional<Backend> reference = Backends.providers().stream().filter(p -> p.name().equals("reference"))
                .findFirst().map(BackendProvider::create);
        try (NativeBackend nat = provider.create(); Arena arena = Arena.ofConfined()) {
            System.out.println("backend: " + nat);
            TensorFactory f = TensorFactory.on(nat);
            Generator gen = new Generator(0);
            MethodHandle sgemm = directSgemm();
            System.out.printf("%-46s %12s %12s %8s%n", "workload", "native", "baseline", "ratio");

            // ---------------------------------------------------------------- matmul
            for (int n : new int[] {64, 256, 1024, 2048}) {
                int reps = n <= 64 ? 2000 : n <= 256 ? 100 : n <= 1024 ? 5 : 2;
                Tensor a = f.randn(gen, n, n);
                Tensor b = f.randn(gen, n, n);
                MemorySegment ma = arena.allocate((long) n * n * 4, 64);
                MemorySegment mb = arena.allocate((long) n * n * 4, 64);
                MemorySegment mc = arena.allocate((long) n * n * 4, 64);
                // the same kind of data as the tensors (normal floats, no denormal products)
                MemorySegment.copy(randomFloats(n * n, 3), 0, ma, JAVA_FLOAT, 0, n * n);
                MemorySegment.copy(randomFloats(n * n, 4), 0, mb, JAVA_FLOAT, 0, n * n);
                // each product is closed at once, so its block is reused as in a training loop's scope
                double[] td = compare(() -> a.matmul(b).close(), reps, () -> {
                    sgemm.invokeExact(101, 111, 111, n, n, n, 1.0f, ma, n, mb, n, 0.0f, mc, n);
                }, reps);
                double t = td[0];
                double d = td[1];
                double flop = 2.0 * n * n * n;
                figures.put("matmul_f32_" + n + "_gflops", flop / t / 1e9);
                row(String.format("matmul f32 %dx%d GFLOP/s vs direct sgemm", n, n), flop / t / 1e9,
                        flop / d / 1e9, d / t);
                if (reference.isPresent() && n <= 256) {
                    TensorFactory r = TensorFactory.on(reference.get());
                    Tensor ra = r.randn(gen, n, n);
                    Tensor rb = r.randn(gen, n, n);
                    double[] nr = compare(() -> a.matmul(b).close(), reps, () -> ra.matmul(rb).close(),
                            n <= 64 ? 200 : 5);
                    row(String.format("matmul f32 %dx%d GFLOP/s vs reference", n, n), flop / nr[0] / 1e9,
                            flop / nr[1] / 1e9, nr[1] / nr[0]);
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
            Body copy = () -> MemorySegment.copy(src, 0, dst, 0, 4L * m);
            double[] add = compare(() -> k.binary(BinaryOp.ADD, x, s, y, s, out, s), 200, copy, 200);
            double[] mul = compare(() -> k.binary(BinaryOp.MUL, x, s, y, s, out, s), 200, copy, 200);
            double[] exp = compare(() -> k.unary(UnaryOp.EXP, x, out), 50, copy, 200);
            figures.put("add_1m_us", add[0] * 1e6);
            figures.put("mul_1m_us", mul[0] * 1e6);
            figures.put("exp_1m_us", exp[0] * 1e6);
            row("add 1M f32 (µs) vs MemorySegment.copy 4 MiB", add[0] * 1e6, add[1] * 1e6, add[1] / add[0]);
            row("mul 1M f32 (µs) vs MemorySegment.copy 4 MiB", mul[0] * 1e6, mul[1] * 1e6, mul[1] / mul[0]);
            row("exp 1M f32 (µs) vs MemorySegment.copy 4 MiB", exp[0] * 1e6, exp[1] * 1e6, exp[1] / exp[0]);
            if (reference.isPresent()) {
                Kernels rk = reference.get().kernels();
                Storage rx = rk.fromArray(randomFloats(m, 1));
                Storage ry = rk.fromArray(randomFloats(m, 2));
                Storage ro = rk.allocate(DType.FLOAT32, m);
                double[] ra = compare(() -> k.binary(BinaryOp.ADD, x, s, y, s, out, s), 200,
                        () -> rk.binary(BinaryOp.ADD, rx, s, ry, s, ro, s), 50);
                row("add 1M f32 (µs) vs reference", ra[0] * 1e6, ra[1] * 1e6, 0);
                double[] re = compare(() -> k.unary(UnaryOp.EXP, x, out), 50, () -> rk.unary(UnaryOp.EXP, rx, ro), 20);
                row("exp 1M f32 (µs) vs reference", re[0] * 1e6, re[1] * 1e6, 0);
            }
            for (Storage st : new Storage[] {x, y, out}) {
                st.release();
            }

            // ---------------------------------------------------------------- per-op cost
            Tensor ga = f.randn(gen, 16).requiresGrad(true);
            Tensor gb = f.randn(gen, 16).requiresGrad(true);
            Tensor pa = f.randn(gen, 16);
            Tensor pb = f.randn(gen, 16);
            if (reference.isPresent()) {
                TensorFactory r = TensorFactory.on(reference.get());
                Tensor rga = r.randn(gen, 16).requiresGrad(true);
                Tensor rgb = r.randn(gen, 16).requiresGrad(true);
                Tensor rpa = r.randn(gen, 16);
                Tensor rpb = r.randn(gen, 16);
                double[] g = compare(perScope(() -> ga.add(gb)), 20, perScope(() -> rga.add(rgb)), 20);
                figures.put("add16_grad_us_per_op", g[0] * 1e6 / OPS);
                row("add 16 f32, recording grad (µs/op) vs reference", g[0] * 1e6 / OPS, g[1] * 1e6 / OPS, 0);
                double[] p = compare(perScope(() -> pa.add(pb)), 20, perScope(() -> rpa.add(rpb)), 20);
                row("add 16 f32, no grad (µs/op) vs reference", p[0] * 1e6 / OPS, p[1] * 1e6 / OPS, 0);
                Body nm = mlpStep(f, gen);
                Body rm = mlpStep(r, gen);
                double[] mlp = compare(nm, 10, rm, 10);
                figures.put("mlp_ms", mlp[0] * 1e3);
                row("MLP 256-512-10, batch 128, fwd+bwd (ms)", mlp[0] * 1e3, mlp[1] * 1e3, 0);
                double[] small = compare(smallMlpStep(f, gen), 50, smallMlpStep(r, gen), 50);
                figures.put("mlp_small_us", small[0] * 1e6);
                row("MLP 64-128-10, batch 32, fwd+bwd (µs)", small[0] * 1e6, small[1] * 1e6, 0);
            } else {
                figures.put("add16_grad_us_per_op", median(perScope(() -> ga.add(gb)), 20) * 1e6 / OPS);
                figures.put("mlp_ms", median(mlpStep(f, gen), 10) * 1e3);
                figures.put("mlp_small_us", median(smallMlpStep(f, gen), 50) * 1e6);
                row("add 16 f32, recording grad (µs/op)", figures.get("add16_grad_us_per_op"), Double.NaN, 1);
                row("MLP 256-512-10, batch 128, fwd+bwd (ms)", figures.get("mlp_ms"), Double.NaN, 1);
                row("MLP 64-128-10, batch 32, fwd+bwd (µs)", figures.get("mlp_small_us"), Double.NaN, 1);
            }
            System.out.println("ratio: native/direct for GFLOP/s rows, copy/kernel for bandwidth rows, "
                    + "reference/native for time rows");

            vectorAgainstPlain(provider, nat, gen);
        }
        String peer = System.getProperty("nabla.bench.peer");
        if (peer != null) {
            againstPeer(Path.of(peer), figures);
        }
    }

    /** The Vector API loops of {@code nat} against the plain loops of a second backend, interleaved. */
    private static void vectorAgainstPlain(NativeBackendProvider provider, NativeBackend nat, Generator gen)
            throws Throwable {
        String before = System.getProperty(VECTOR_PROPERTY);
        System.setProperty(VECTOR_PROPERTY, "false");
        NativeBackend plain;
        try {
            plain = provider.create();
        } finally {
            if (before == null) {
                System.clearProperty(VECTOR_PROPERTY);
            } else {
                System.setProperty(VECTOR_PROPERTY, before);
            }
        }
        try (plain) {
            System.out.println();
            System.out.println("Vector API loops against plain loops (float32; both backends on "
                    + nat.threads() + " threads):");
            System.out.println("  vector: " + nat);
            System.out.println("  plain:  " + plain);
            System.out.printf("%-46s %12s %12s %8s%n", "workload", "vector", "plain", "speed-up");
            Kernels v = nat.kernels();
            Kernels p = plain.kernels();
            for (int n : new int[] {16, 4096, 65536, 1 << 20}) {
                Shape s = Shape.of(n);
                Storage vx = v.fromArray(randomFloats(n, 1));
                Storage vy = v.fromArray(randomFloats(n, 2));
                Storage vo = v.allocate(DType.FLOAT32, n);
                Storage vs = v.allocate(DType.FLOAT32, 1);
                Storage px = p.fromArray(randomFloats(n, 1));
                Storage py = p.fromArray(randomFloats(n, 2));
                Storage po = p.allocate(DType.FLOAT32, n);
                Storage ps = p.allocate(DType.FLOAT32, 1);
                Storage vz = v.fromArray(new float[] {0f});
                Storage pz = p.fromArray(new float[] {0f});
                Storage vb = v.allocate(DType.BOOL, n);
                Storage pb = p.allocate(DType.BOOL, n);
                Shape one = Shape.of(1);
                int reps = Math.max(20, (1 << 22) / n);
                String size = n >= 1 << 20 ? (n >> 20) + "M" : n >= 1024 ? (n >> 10) + "K" : Integer.toString(n);
                double[] r = compare(() -> v.binary(BinaryOp.ADD, vx, s, vy, s, vo, s), reps,
                        () -> p.binary(BinaryOp.ADD, px, s, py, s, po, s), reps);
                row("add " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                r = compare(() -> v.binary(BinaryOp.MUL, vx, s, vy, s, vo, s), reps,
                        () -> p.binary(BinaryOp.MUL, px, s, py, s, po, s), reps);
                row("mul " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                r = compare(() -> v.unary(UnaryOp.EXP, vx, vo), Math.max(5, reps / 8),
                        () -> p.unary(UnaryOp.EXP, px, po), Math.max(5, reps / 8));
                row("exp " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                r = compare(() -> v.unary(UnaryOp.TANH, vx, vo), Math.max(5, reps / 8),
                        () -> p.unary(UnaryOp.TANH, px, po), Math.max(5, reps / 8));
                row("tanh " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                // log of positive values (the same magnitudes)
                float[] positive = randomFloats(n, 1);
                for (int i = 0; i < n; i++) {
                    positive[i] = Math.abs(positive[i]) + Float.MIN_NORMAL;
                }
                Storage vl = v.fromArray(positive);
                Storage pl = p.fromArray(positive.clone());
                r = compare(() -> v.unary(UnaryOp.LOG, vl, vo), Math.max(5, reps / 8),
                        () -> p.unary(UnaryOp.LOG, pl, po), Math.max(5, reps / 8));
                row("log " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                int[] axes = {0};
                r = compare(() -> v.reduce(ReduceOp.SUM, vx, s, axes, vs), reps,
                        () -> p.reduce(ReduceOp.SUM, px, s, axes, ps), reps);
                row("sum " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                // relu's backward: where(x > 0, g, 0)
                r = compare(() -> {
                    v.binary(BinaryOp.GT, vx, s, vz, one, vb, s);
                    v.where(vb, s, vy, s, vz, one, vo, s);
                }, reps, () -> {
                    p.binary(BinaryOp.GT, px, s, pz, one, pb, s);
                    p.where(pb, s, py, s, pz, one, po, s);
                }, reps);
                row("x > 0, where(.., g, 0) " + size + " f32 (µs)", r[0] * 1e6, r[1] * 1e6, 0);
                for (Storage st : new Storage[] {vx, vy, vo, vs, px, py, po, ps, vz, pz, vb, pb}) {
                    st.release();
                }
            }
            double[] mlp = compare(mlpStep(TensorFactory.on(nat), gen), 10, mlpStep(TensorFactory.on(plain), gen), 10);
            row("MLP 256-512-10, batch 128, fwd+bwd (ms)", mlp[0] * 1e3, mlp[1] * 1e3, 0);
            System.out.println("speed-up: plain time / vector time (above 1 = the Vector API loops are faster)");
        }
    }

    /** Prints this run's figures against the PyTorch peer's, read from {@code file}. */
    private static void againstPeer(Path file, Map<String, Double> figures) throws java.io.IOException {
        Map<String, Double> peer = new LinkedHashMap<>();
        System.out.println();
        for (String line : Files.readAllLines(file)) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].equals("peer")) {
                peer.put(w[1], Double.parseDouble(w[2]));
            } else if (line.startsWith("peer_info")) {
                System.out.println("PyTorch: " + line.substring("peer_info".length()).trim());
            }
        }
        System.out.println("native against PyTorch (same workloads, same thread count, run back to back):");
        System.out.printf("%-46s %12s %12s %8s%n", "workload", "native", "PyTorch", "ratio");
        String[][] rows = {
            {"matmul_f32_64_gflops", "matmul f32 64x64 (GFLOP/s)"},
            {"matmul_f32_256_gflops", "matmul f32 256x256 (GFLOP/s)"},
            {"matmul_f32_1024_gflops", "matmul f32 1024x1024 (GFLOP/s)"},
            {"matmul_f32_2048_gflops", "matmul f32 2048x2048 (GFLOP/s)"},
            {"add_1m_us", "add 1M f32 (µs)"},
            {"mul_1m_us", "mul 1M f32 (µs)"},
            {"exp_1m_us", "exp 1M f32 (µs)"},
            {"add16_grad_us_per_op", "add 16 f32, recording grad (µs/op)"},
            {"mlp_ms", "MLP 256-512-10, batch 128, fwd+bwd (ms)"},
            {"mlp_small_us", "MLP 64-128-10, batch 32, fwd+bwd (µs)"},
        };
        for (String[] r : rows) {
            Double n = figures.get(r[0]);
            Double t = peer.get(r[0]);
            if (n == null || t == null) {
                System.out.printf("%-46s %12s %12s%n", r[1], n == null ? "-" : String.format("%.2f", n),
                        t == null ? "-" : String.format("%.2f", t));
                continue;
            }
            // above 1 = native is faster: native/peer for rates, peer/native for times
            double ratio = r[0].endsWith("gflops") ? n / t : t / n;
            System.out.printf("%-46s %12.2f %12.2f %8.2f%n", r[1], n, t, ratio);
        }
        System.out.println("ratio: above 1 = native is faster (native/PyTorch for GFLOP/s, PyTorch/native for times)");
    }

    /** The property a backend reads when created to choose plain loops (see the kernels' VectorSupport). */
    private static final String VECTOR_PROPERTY = "nabla.native.vector";

    /** Ops per scope in the per-op rows. */
    private static final int OPS = 1000;

    /** {@value #OPS} calls of {@code op} in a scope of their own, closed at the end (release included). */
    private static Body perScope(Body op) {
        return () -> {
            try (Scope ignored = Scope.open()) {
                for (int i = 0; i < OPS; i++) {
                    op.run();
                }
            }
        };
    }

    /** One forward and backward step of a two-layer MLP; its parameters live until the JVM ends. */
    private static Body mlpStep(TensorFactory f, Generator gen) {
        Tensor w1 = f.randn(gen, 256, 512).mul(0.05).toParameter();
        Tensor w2 = f.randn(gen, 512, 10).mul(0.05).toParameter();
        Tensor in = f.randn(gen, 128, 256);
        return () -> in.matmul(w1).tanh().matmul(w2).logSoftmax(1).mean().backward();
    }

    /** The same step for a 64-128-10 MLP on a batch of 32, the size of BackendBench's MLP row. */
    private static Body smallMlpStep(TensorFactory f, Generator gen) {
        Tensor w1 = f.randn(gen, 64, 128).mul(0.1).toParameter();
        Tensor w2 = f.randn(gen, 128, 10).mul(0.1).toParameter();
        Tensor in = f.randn(gen, 32, 64);
        return () -> in.matmul(w1).tanh().matmul(w2).logSoftmax(1).mean().backward();
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
    @SuppressWarnings("restricted")
    private static MethodHandle directSgemm() {
        String origin = BlasLocator.standard().locate().library().orElseThrow().origin();
        SymbolLookup lib = origin.contains("/")
                ? SymbolLookup.libraryLookup(Path.of(origin), Arena.global())
                : SymbolLookup.libraryLookup(origin, Arena.global());
        return Linker.nativeLinker().downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_FLOAT,
                        ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT));
    }

    /** Median seconds per call of one body (see {@link #compare}). */
    private static double median(Body body, int reps) throws Throwable {
        return compare(body, reps, null, 0)[0];
    }

    /**
     * Median seconds per call of {@code a} and of {@code b}, over 7 timed rounds of each after 3 warm-up
     * rounds; the rounds alternate (a, b, a, b, …) so that both see the same load on a shared machine.
     * Each round runs in its own scope, so the tensors it makes are freed before the next.
     */
    private static double[] compare(Body a, int repsA, Body b, int repsB) throws Throwable {
        double[] ra = new double[7];
        double[] rb = new double[7];
        for (int r = -3; r < ra.length; r++) {
            double ta = round(a, repsA);
            double tb = b == null ? 0 : round(b, repsB);
            if (r >= 0) {
                ra[r] = ta;
                rb[r] = tb;
            }
        }
        Arrays.sort(ra);
        Arrays.sort(rb);
        return new double[] {ra[ra.length / 2], rb[rb.length / 2]};
    }

    private static double round(Body body, int reps) throws Throwable {
        try (Scope ignored = Scope.open()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) {
                body.run();
            }
            return (System.nanoTime() - t0) / 1e9 / reps;
        }
    }
}
