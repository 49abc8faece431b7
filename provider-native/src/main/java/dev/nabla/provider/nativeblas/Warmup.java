package dev.nabla.provider.nativeblas;

import dev.nabla.api.backend.BinaryOp;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.kernels.Gemm;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import java.util.concurrent.atomic.AtomicReference;

/**
 * JIT warm-up of the native backend's code paths, once per JVM, when its first backend is created.
 *
 * <p>Why: the backend's kernels are Java — Vector API loops, {@code MemorySegment} access, FFM
 * downcalls — and until C2 has compiled them they run one to two orders of magnitude slower than
 * compiled (the Vector API in particular: interpreted or C1-compiled, every vector operation allocates
 * an object and runs a scalar fallback loop). Profiles of a 64-128-10 MLP training loop showed a step
 * taking 7 ms over its first 50 iterations, still 0.5–1 ms after 500 and 30–60 µs only after about a
 * thousand; a 16-element add took 300 000 calls to settle; the JIT spent 3.6 s compiling for the
 * native backend against 1.4 s for the reference backend. Short runs and benchmarks of a few hundred
 * steps measured that warm-up, not the kernels.
 *
 * <p>What: a thread named {@value #THREAD_NAME} calls the float32 loops directly (unary, binary over
 * the four row layouts, {@code where}, reductions), then runs {@value #STEPS} small training steps —
 * matrix products with a bias, the common activations, log-softmax, reductions, scalar operands,
 * backward — at shapes with odd sizes, on a <em>private</em> backend (its own {@link BlockPool},
 * closed at the end), so that the user's backends, their memory accounting and their threads are
 * untouched. The compiled code is shared by every backend of the JVM. A failure inside it only ends
 * it early (it is an optimisation, never a precondition).
 *
 * <p>By default {@link NativeBackendProvider#create()} waits for it: the first backend of a JVM takes
 * about a second longer to create (more on a loaded machine), and its first steps run compiled code.
 * Running it in the background instead ({@code -Dnabla.native.warmup=background}) was measured to
 * slow whatever the program runs meanwhile on a two-core machine (in one run of BackendBench a 1024²
 * matmul fell from 290 to 70 GFLOP/s and 16-element adds doubled); {@code -Dnabla.native.warmup=false} turns it off.
 */
final class Warmup {
    /** The system property: {@code false} turns the warm-up off, {@code background} does not wait for it. */
    static final String PROPERTY = "nabla.native.warmup";
    /** The warm-up thread's name. */
    static final String THREAD_NAME = "nabla-native-warmup";
    /** Training steps the warm-up runs (each over several shapes). */
    static final int STEPS = 250;
    /**
     * Rounds of direct kernel calls (with {@value #STEPS} steps): above C2's minimum of 600 invocations
     * of a method before its loop counts make it hot (at 500 the vector loops were left to C1).
     */
    static final int KERNEL_ROUNDS = 1000;

    private static final AtomicReference<Thread> STARTED = new AtomicReference<>();

    private Warmup() {
    }

    /** Whether the warm-up is wanted: unless {@code -Dnabla.native.warmup=false}. */
    static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** Whether creating a backend waits for the warm-up: unless {@code -Dnabla.native.warmup=background}. */
    static boolean waits() {
        return !"background".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * Starts the warm-up over {@code gemm} on {@code threads} threads, unless it was started before in
     * this JVM or is turned off; returns the thread (the one started earlier, if any) or null when off.
     */
    static Thread startOnce(Gemm gemm, int threads) {
        if (!requested()) {
            return STARTED.get();
        }
        Thread t = Thread.ofPlatform().name(THREAD_NAME).daemon(true).priority(Thread.MIN_PRIORITY).unstarted(
                () -> run(gemm, threads, STEPS));
        if (!STARTED.compareAndSet(null, t)) {
            return STARTED.get();
        }
        t.start();
        return t;
    }

    /**
     * Runs {@code steps} warm-up steps on a private backend over {@code gemm}, closing it at the end;
     * returns the number of steps completed (fewer only if one failed).
     */
    static int run(Gemm gemm, int threads, int steps) {
        int done = 0;
        try (NativeBackend backend = new NativeBackend(new BlockPool(16L << 20), gemm, threads, "warm-up")) {
            kernels(backend.kernels(), KERNEL_ROUNDS * steps / STEPS);
            TensorFactory f = TensorFactory.on(backend);
            Generator gen = new Generator(1);
            // batch, in, hidden, out: odd sizes exercise the loops' tails, the larger ones their bodies
            int[][] shapes = {{5, 9, 37, 3}, {32, 64, 128, 10}};
            Tensor[][] params = new Tensor[shapes.length][];
            for (int s = 0; s < shapes.length; s++) {
                int[] d = shapes[s];
                params[s] = new Tensor[] {
                    f.randn(gen, d[0], d[1]),
                    f.randn(gen, d[1], d[2]).mul(0.1).toParameter(),
                    f.zeros(d[2]).toParameter(),
                    f.randn(gen, d[2], d[3]).mul(0.1).toParameter(),
                };
            }
            Tensor a = f.randn(gen, 16).requiresGrad(true).keep();
            Tensor b = f.randn(gen, 16).keep();
            for (int i = 0; i < steps; i++) {
                try (Scope ignored = Scope.open()) {
                    step(params[i % shapes.length], i % 3);
                    for (int j = 0; j < 4; j++) {
                        a.add(b);
                        a.mul(b).sub(b).sum();
                    }
                }
                done++;
            }
        } catch (RuntimeException | LinkageError e) {
            // an optimisation only: stop warming, never disturb the program
        }
        return done;
    }

    /**
     * Calls the float32 loops directly — no autodiff, no allocation — {@code rounds} times each: the
     * unary ops, the binary ops over equal shapes, a scalar, a bias row and a column, comparisons with
     * {@code where}, and sums over the last and the leading axis, on 31 × 33 floats (so that both a
     * loop's vector body and its scalar tail run); and the plain binary loops that rows of 16 floats take.
     */
    private static void kernels(Kernels k, int rounds) {
        int rows = 31;
        int cols = 33;
        Shape m = Shape.of(rows, cols);
        Shape row = Shape.of(1, cols);
        Shape col = Shape.of(rows, 1);
        Shape one = Shape.of(1, 1);
        float[] data = new float[rows * cols];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 17) * 0.25f - 2f + 0.01f * i;
        }
        Storage x = k.fromArray(data);
        Storage y = k.fromArray(data);
        Storage out = k.allocate(DType.FLOAT32, data.length);
        Storage r = k.fromArray(new float[] {1.5f});
        Storage bias = k.allocate(DType.FLOAT32, cols);
        Storage column = k.allocate(DType.FLOAT32, rows);
        Storage mask = k.allocate(DType.BOOL, data.length);
        // rows under Elementwise.SMALL_ROW take the plain loops: warmed on 16 floats, alone and with a scalar
        Shape small = Shape.of(16);
        Shape single = Shape.of(1);
        Storage xs = k.fromArray(java.util.Arrays.copyOf(data, 16));
        Storage os = k.allocate(DType.FLOAT32, 16);
        try {
            k.unary(UnaryOp.ABS, x, y);
            k.fill(bias, 0.5);
            k.fill(column, 2.0);
            UnaryOp[] unary = {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.EXP, UnaryOp.TANH, UnaryOp.SIGMOID};
            BinaryOp[] binary = {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV};
            for (int i = 0; i < rounds; i++) {
                for (UnaryOp op : unary) {
                    k.unary(op, x, out);
                }
                k.unary(UnaryOp.LOG, y, out);
                k.unary(UnaryOp.SQRT, y, out);
                for (BinaryOp op : binary) {
                    k.binary(op, x, m, y, m, out, m);
                    k.binary(op, x, m, r, one, out, m);
                    k.binary(op, x, m, bias, row, out, m);
                    k.binary(op, x, m, column, col, out, m);
                }
                for (BinaryOp op : binary) {
                    for (int j = 0; j < 4; j++) {
                        k.binary(op, xs, small, xs, small, os, small);
                        k.binary(op, xs, small, r, single, os, small);
                    }
                }
                k.binary(BinaryOp.GT, x, m, r, one, mask, m);
                k.where(mask, m, y, m, r, one, out, m);
                k.reduce(ReduceOp.SUM, x, m, new int[] {1}, column);
                k.reduce(ReduceOp.SUM, x, m, new int[] {0}, bias);
                k.reduce(ReduceOp.MAX, x, m, new int[] {1}, column);
            }
        } finally {
            for (Storage s : new Storage[] {x, y, out, r, bias, column, mask, xs, os}) {
                s.release();
            }
        }
    }

    /** One forward and backward pass of a two-layer MLP, with the activation chosen by {@code kind}. */
    private static void step(Tensor[] p, int kind) {
        Tensor x = p[0];
        Tensor w1 = p[1];
        Tensor b1 = p[2];
        Tensor w2 = p[3];
        Tensor h = x.matmul(w1).add(b1);
        h = switch (kind) {
            case 0 -> h.tanh();
            case 1 -> h.relu();
            default -> h.sigmoid().mul(2.0).sub(1.0);
        };
        Tensor logits = h.matmul(w2);
        Tensor loss = logits.logSoftmax(1).mean().neg().add(logits.exp().mean().log().mul(0.01));
        loss.backward();
        for (Tensor t : new Tensor[] {w1, b1, w2}) {
            t.zeroGrad();
        }
    }
}
