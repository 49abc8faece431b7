package dev.nabla.provider.nativeblas;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.spi.Availability;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.blas.OpenBlas;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Service provider of the {@link NativeBackend}: name {@code "native"}, priority {@value #PRIORITY}
 * (above the reference provider's 0, so it is chosen when it is available), available when a BLAS
 * library loads (see {@link BlasLocator} for the order it tries).
 *
 * <p>The library is looked up once, on the first {@link #availability()} or {@link #create()}, and
 * the outcome kept: for the providers made by {@link java.util.ServiceLoader} once per JVM (a loaded
 * library is process-wide). When nothing loads, the availability names every attempt and why it
 * failed; nothing about a missing or broken library can crash the JVM.
 */
public final class NativeBackendProvider implements BackendProvider {
    /** The priority: above the reference provider (0) and the TensorFlow provider (50); native is the default CPU backend. */
    public static final int PRIORITY = 100;

    /** The lookup of this process, done once per JVM. */
    private static final class Standard {
        static final Outcome OUTCOME = Outcome.of(BlasLocator.standard(), ThreadSetting.current());
    }

    /** A lookup's result: the library (or null) and the availability that describes it. */
    private record Outcome(OpenBlas blas, ThreadSetting threads, Availability availability) {
        static Outcome of(BlasLocator locator, ThreadSetting threads) {
            BlasLocator.Result r;
            try {
                r = locator.locate();
            } catch (RuntimeException | LinkageError e) {
                return new Outcome(null, threads, Availability.unavailable("BLAS lookup failed: " + e));
            }
            if (r.blas() == null) {
                return new Outcome(null, threads, Availability.unavailable(r.describe()));
            }
            String config = r.blas().config();
            return new Outcome(r.blas(), threads, Availability.available(r.describe()
                    + (config.equals("unknown") ? "" : " [" + config.trim() + "]") + ", " + threads.note()));
        }
    }

    private final Supplier<Outcome> outcome;

    /** The provider of this process; called by {@link java.util.ServiceLoader}. */
    public NativeBackendProvider() {
        this.outcome = () -> Standard.OUTCOME;
    }

    private NativeBackendProvider(BlasLocator locator, ThreadSetting threads) {
        Outcome[] cached = new Outcome[1];
        this.outcome = () -> {
            synchronized (cached) {
                if (cached[0] == null) {
                    cached[0] = Outcome.of(locator, threads);
                }
                return cached[0];
            }
        };
    }

    /** A provider that looks for BLAS with {@code locator} and uses {@code threads}; for tests. */
    static NativeBackendProvider using(BlasLocator locator, ThreadSetting threads) {
        return new NativeBackendProvider(Objects.requireNonNull(locator, "locator"),
                Objects.requireNonNull(threads, "threads"));
    }

    @Override
    public String name() {
        return NativeBackend.NAME;
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Availability availability() {
        return outcome.get().availability();
    }

    /**
     * Creates a backend with its own memory pool and threads; {@link NativeBackend#close()} frees them.
     * The first call in a JVM also runs the JIT {@linkplain Warmup warm-up} and waits for it (about a
     * second of one core; {@code -Dnabla.native.warmup=background} lets it run on its own thread,
     * {@code -Dnabla.native.warmup=false} turns it off); later calls wait only while it still runs.
     *
     * @throws IllegalStateException with the reason when no BLAS library could be loaded
     */
    @Override
    public NativeBackend create() {
        Outcome o = outcome.get();
        if (o.blas() == null) {
            throw new IllegalStateException("native backend unavailable: " + o.availability().reason());
        }
        int threads = o.threads().threads();
        o.blas().setNumThreads(threads);
        NativeBackend backend = new NativeBackend(new BlockPool(NativeBackend.RETAIN_LIMIT), o.blas(), threads,
                o.availability().reason());
        Thread warm = Warmup.startOnce(o.blas(), threads); // the first backend of the JVM compiles the kernels
        if (warm != null && Warmup.waits()) {
            try {
                warm.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return backend;
    }
}
