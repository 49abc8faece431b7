package dev.nabla.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.tensor.Autograd;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.GradMode;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.api.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The thread-safety contract of tensors and scopes, checked concurrently on one backend. A provider runs
 * it from its own test folder:
 *
 * <pre>{@code
 * import dev.nabla.provider.reference.ReferenceBackendProvider;
 *
 * class ReferenceConcurrencyTest extends ConcurrencyChecks {
 *     ReferenceConcurrencyTest() { super(new ReferenceBackendProvider().create()); }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>A tensor released (its scope closed) while other threads read it never yields a value: every read
 *       either returns the right value (it ran before the release) or throws
 *       {@link ReleasedTensorException} naming the op and the tensor — never a wrong number, never another
 *       exception. A stress test of about a second per size, a small tensor and one over 1 MiB.</li>
 *   <li>Scopes are thread-confined: {@code keep}, {@code size} and {@code close} from another thread throw
 *       {@link IllegalStateException} naming both threads, and leave the scope intact for its owner.</li>
 *   <li>Tensors that no one writes may be read from any number of threads at once: concurrent
 *       {@code noGrad} computations over shared parameters give the single-threaded bits.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConcurrencyChecks {
    private final Backend backend;
    private final TensorFactory f;

    /**
     * Checks for {@code backend}.
     *
     * @param backend the backend under test
     */
    protected ConcurrencyChecks(Backend backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.f = TensorFactory.on(backend);
    }

    /** How long each race runs, in milliseconds; a provider may shorten or lengthen it. */
    protected long raceMillis() {
        return 1000;
    }

    /** A small tensor (128 KiB of float32) released while three threads sum it. */
    @Test
    public void aSmallTensorReleasedWhileReadNeverYieldsAValue() throws Exception {
        race(32 * 1024);
    }

    /** A 4 MiB tensor (the native pool's own-arena blocks) released while three threads sum it. */
    @Test
    public void aLargeTensorReleasedWhileReadNeverYieldsAValue() throws Exception {
        race(1024 * 1024);
    }

    private void race(int n) throws Exception {
        int readers = 3;
        AtomicReference<Tensor> shared = new AtomicReference<>();
        AtomicLong right = new AtomicLong();
        AtomicLong released = new AtomicLong();
        AtomicLong rounds = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> other = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + raceMillis() * 1_000_000L;
        CountDownLatch started = new CountDownLatch(readers);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < readers; r++) {
            threads.add(Thread.ofPlatform().name("reader-" + r).start(() -> {
                started.countDown();
                while (System.nanoTime() < end) {
                    Tensor t = shared.get();
                    if (t == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    try (Scope s = Scope.open(); GradMode g = Autograd.noGrad()) {
                        double v = t.sum().item();
                        if (v == n) {
                            right.incrementAndGet();
                        } else if (wrong.size() < 10) {
                            wrong.add(v + " instead of " + n);
                        }
                    } catch (ReleasedTensorException e) {
                        if (e.getMessage() == null || !e.getMessage().contains("released")) {
                            other.add(e);
                        } else {
                            released.incrementAndGet();
                        }
                    } catch (Throwable e) {
                        if (other.size() < 10) {
                            other.add(e);
                        }
                    }
                }
            }));
        }
        started.await();
        Thread writer = Thread.ofPlatform().name("owner").start(() -> {
            long i = 0;
            while (System.nanoTime() < end) {
                try (Scope s = Scope.open()) {
                    shared.set(f.ones(n));
                    if ((i++ & 3) != 0) {
                        Thread.onSpinWait(); // close mostly at once: while the readers are inside a sum
                    } else {
                        Thread.yield();
                    }
                }
                // take the released blocks again, filled with other values
                try (Scope s = Scope.open()) {
                    f.full(Shape.of(n), 7, dev.nabla.api.types.DType.FLOAT32);
                    f.full(Shape.of(n), 7, dev.nabla.api.types.DType.FLOAT32);
                }
                rounds.incrementAndGet();
            }
        });
        writer.join();
        for (Thread t : threads) {
            t.join();
        }
        String summary = backend.name() + ", " + n + " elements: " + rounds.get() + " releases, " + right.get()
                + " right sums, " + released.get() + " ReleasedTensorException, " + wrong.size() + " wrong, "
                + other.size() + " other exceptions";
        System.out.println("concurrency[" + summary + "]");
        if (!other.isEmpty()) {
            AssertionError e = new AssertionError("exceptions other than ReleasedTensorException (" + summary + ")");
            other.forEach(e::addSuppressed);
            throw e;
        }
        assertTrue(wrong.isEmpty(), "wrong values read from a released tensor: " + wrong + " (" + summary + ")");
        assertTrue(released.get() > 0, "the race never hit a released tensor; lengthen raceMillis() (" + summary + ")");
    }

    /** The message of a read of a released tensor names the op and the tensor. */
    @Test
    public void aReleasedTensorNamesItselfInTheException() {
        Tensor t;
        try (Scope s = Scope.open()) {
            t = f.ones(2, 3);
        }
        ReleasedTensorException e = assertThrows(ReleasedTensorException.class, () -> t.sum());
        assertTrue(e.getMessage().contains("[2, 3] float32") && e.getMessage().contains("released"), e.getMessage());
    }

    /** {@code keep}, {@code size} and {@code close} from another thread throw and change nothing. */
    @Test
    public void scopesRefuseEveryOperationFromAnotherThread() throws Exception {
        try (Scope s = Scope.open()) {
            List<Tensor> made = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                made.add(f.ones(4));
            }
            AtomicReference<Throwable> keep = new AtomicReference<>();
            AtomicReference<Throwable> tensorKeep = new AtomicReference<>();
            AtomicReference<Throwable> size = new AtomicReference<>();
            AtomicReference<Throwable> close = new AtomicReference<>();
            Thread other = Thread.ofPlatform().name("intruder").start(() -> {
                keep.set(catching(() -> s.keep(made.get(50))));
                tensorKeep.set(catching(() -> made.get(10).keep()));
                size.set(catching(s::size));
                close.set(catching(s::close));
            });
            other.join();
            for (AtomicReference<Throwable> r : List.of(keep, tensorKeep, size, close)) {
                Throwable e = r.get();
                assertTrue(e instanceof IllegalStateException, "expected IllegalStateException, got " + e);
                assertTrue(e.getMessage().contains("intruder") && e.getMessage().contains("thread-confined"),
                        e.getMessage());
            }
            assertEquals(100, s.size(), "the scope still owns all its tensors");
            Tensor kept = s.keep(made.get(50));
            s.close();
            for (int i = 0; i < made.size(); i++) {
                assertEquals(i != 50, made.get(i).isReleased(), "tensor " + i);
            }
            assertEquals(4.0, kept.sum().item());
            kept.close();
            // the thread is not left broken: a new scope works as before
            try (Scope again = Scope.open()) {
                Tensor t = f.ones(3);
                assertEquals(1, again.size());
                assertFalse(t.isReleased());
            }
        }
    }

    private static Throwable catching(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }

    /** Eight threads computing under noGrad over shared parameters get the single-threaded bits. */
    @Test
    public void concurrentNoGradReadsOfSharedParametersGiveTheSingleThreadedBits() throws Exception {
        Generator g = new Generator(7);
        Tensor w1 = f.randn(g, 8, 32).toParameter();
        Tensor w2 = f.randn(g, 32, 4).toParameter();
        Tensor[] inputs = new Tensor[8];
        for (int i = 0; i < inputs.length; i++) {
            try (Scope s = Scope.open()) {
                inputs[i] = s.keep(f.randn(g, 1 + i, 8));
            }
        }
        float[][] expected = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            expected[i] = forward(inputs[i], w1, w2);
        }
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 200; k++) {
                        int i = (id + k) % inputs.length;
                        assertArrayEquals(expected[i], forward(inputs[i], w1, w2), "input " + i);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (Tensor t : inputs) {
            t.close();
        }
        w1.close();
        w2.close();
        assertTrue(failures.isEmpty(), () -> "failures: " + failures);
    }

    private static float[] forward(Tensor x, Tensor w1, Tensor w2) {
        try (Scope s = Scope.open(); GradMode g = Autograd.noGrad()) {
            return x.matmul(w1).tanh().matmul(w2).logSoftmax(-1).toFloatArray();
        }
    }
}
