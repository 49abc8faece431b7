package dev.nabla.provider.nativeblas.blas;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.nabla.provider.nativeblas.kernels.Gemm;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * The CBLAS routines Nabla calls, bound by FFM downcalls from a loaded library: {@code cblas_sgemm}
 * and {@code cblas_dgemm} (required), {@code openblas_set_num_threads} and
 * {@code openblas_get_config} (used when the library is OpenBLAS).
 *
 * <p><b>Threads per call.</b> {@link #setNumThreads} sets the most threads a product may use. A product
 * of at most {@value #SINGLE_THREAD_WORK} multiply-adds ({@code m·n·k}, e.g. 128×128×128) runs on one
 * thread: splitting it saves little on a quiet machine (matmul 128: 148 against 128 GFLOP/s; a
 * RealNVP step on moons, batch 256: 2.79 ms on two threads, 1.11 ms on one), and when the cores are
 * shared with other work OpenBLAS's worker threads wait on each other for whole scheduler slices
 * (matmul 128 fell to 0.2 GFLOP/s on two threads against 48 on one with two busy processes beside it).
 * OpenBLAS's thread count is global, so it is switched only when a call needs the other setting, by a
 * writer that waits for the products running with the old one. Products hold the setting through a
 * {@link ThreadsGate}, whose readers touch only a counter of their own stripe: a
 * {@code ReentrantReadWriteLock} here made every product of every thread update the same lock word (and
 * the lock's cached hold counter), which cost small products on two threads more than the products.
 *
 * <p>{@code blasint} is taken to be a 32-bit {@code int} (the LP64 builds that ship as
 * {@code libopenblas.so.0}); an OpenBLAS that reports an ILP64 build is refused, and the backend never
 * passes a dimension above {@link Integer#MAX_VALUE}.
 */
@SuppressWarnings("restricted") // FFM downcalls are this class's purpose; the module needs native access
public final class OpenBlas implements Gemm {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    private final String origin;
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;
    private final MethodHandle setNumThreads;
    private final MethodHandle getConfig;
    private final MethodHandle getNumThreads;
    private final ThreadsGate gate = new ThreadsGate();
    private volatile int maxThreads = -1;   // -1: never set; the library's own setting is left alone
    private volatile int current = -1;      // the library's count as last set here (by the gate's writer)

    /** Products of at most this many multiply-adds ({@code m·n·k}) run on one OpenBLAS thread. */
    public static final long SINGLE_THREAD_WORK = 128L * 128 * 128;

    private OpenBlas(String origin, MethodHandle sgemm, MethodHandle dgemm, MethodHandle setNumThreads,
                     MethodHandle getConfig, MethodHandle getNumThreads) {
        this.origin = origin;
        this.sgemm = sgemm;
        this.dgemm = dgemm;
        this.setNumThreads = setNumThreads;
        this.getConfig = getConfig;
        this.getNumThreads = getNumThreads;
    }

    /**
     * Binds the routines from {@code lookup}.
     *
     * @param origin where the library came from, for messages
     * @throws IllegalArgumentException naming the missing symbol if a required one is absent
     */
    public static OpenBlas bind(String origin, SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        FunctionDescriptor s = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_FLOAT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_FLOAT, ADDRESS, JAVA_INT);
        FunctionDescriptor d = FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_DOUBLE, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_DOUBLE, ADDRESS, JAVA_INT);
        MethodHandle sgemm = linker.downcallHandle(require(lookup, "cblas_sgemm"), s);
        MethodHandle dgemm = linker.downcallHandle(require(lookup, "cblas_dgemm"), d);
        MethodHandle threads = lookup.find("openblas_set_num_threads")
                .map(a -> linker.downcallHandle(a, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        MethodHandle config = lookup.find("openblas_get_config")
                .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(ADDRESS))).orElse(null);
        MethodHandle getThreads = lookup.find("openblas_get_num_threads")
                .map(a -> linker.downcallHandle(a, FunctionDescriptor.of(JAVA_INT))).orElse(null);
        OpenBlas blas = new OpenBlas(origin, sgemm, dgemm, threads, config, getThreads);
        if (blas.config().contains("USE64BITINT")) {
            // dimensions would be read as 64-bit integers from 32-bit arguments: refuse rather than corrupt
            throw new IllegalArgumentException("an ILP64 OpenBLAS build (USE64BITINT); Nabla passes 32-bit integers");
        }
        return blas;
    }

    private static MemorySegment require(SymbolLookup lookup, String name) {
        Optional<MemorySegment> symbol = lookup.find(name);
        return symbol.orElseThrow(() -> new IllegalArgumentException("symbol " + name + " not found"));
    }

    /** Where the library came from (a path or a library name). */
    public String origin() {
        return origin;
    }

    /**
     * Sets the most threads a product may use (small products use one, see the class comment); a no-op
     * for a BLAS without {@code openblas_set_num_threads}.
     */
    public void setNumThreads(int threads) {
        if (setNumThreads == null) {
            return;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("OpenBLAS threads must be at least 1, got " + threads);
        }
        gate.lockWrite();
        try {
            maxThreads = threads;
            applyThreads(threads);
        } finally {
            gate.unlockWrite();
        }
    }

    /** The library's own thread count ({@code openblas_get_num_threads}), or -1 if it has no such routine. */
    public int libraryThreads() {
        if (getNumThreads == null) {
            return -1;
        }
        try {
            return (int) getNumThreads.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_get_num_threads failed", t);
        }
    }

    /** The threads a product of {@code m·n·k} multiply-adds runs on, given the maximum {@code max}. */
    static int threadsFor(long work, int max) {
        return work <= SINGLE_THREAD_WORK ? 1 : max;
    }

    private void applyThreads(int threads) {   // under the write lock
        if (current == threads) {
            return;
        }
        try {
            setNumThreads.invokeExact(threads);
        } catch (Throwable t) {
            throw new IllegalStateException("openblas_set_num_threads failed", t);
        }
        current = threads;
    }

    /**
     * Enters the gate as a reader with the library set to the thread count a product of {@code m·n·k}
     * wants; returns the stripe to leave after the call, or -1 when threads are not managed.
     */
    private int threadsFor(int m, int n, int k) {
        int max = maxThreads;
        if (max < 1 || setNumThreads == null) {
            return -1;
        }
        int want = threadsFor((long) m * n * k, max);
        while (true) {
            int stripe = gate.enterRead();
            if (current == want) {
                return stripe;
            }
            gate.exitRead(stripe);
            gate.lockWrite();
            try {
                applyThreads(want);
            } finally {
                gate.unlockWrite();
            }
            // another thread may switch it back before this one enters: then switch again
        }
    }

    /** OpenBLAS's build description (version, target core, threading), or "unknown" for another BLAS. */
    public String config() {
        if (getConfig == null) {
            return "unknown";
        }
        try {
            MemorySegment p = (MemorySegment) getConfig.invokeExact();
            return p.equals(MemorySegment.NULL) ? "unknown" : p.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "unknown";
        }
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                      MemorySegment b, int ldb, MemorySegment c, int ldc, boolean accumulate) {
        int held = threadsFor(m, n, k);
        try {
            sgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    1.0f, a, lda, b, ldb, accumulate ? 1.0f : 0.0f, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            if (held >= 0) {
                gate.exitRead(held);
            }
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k, MemorySegment a, int lda,
                      MemorySegment b, int ldb, MemorySegment c, int ldc, boolean accumulate) {
        int held = threadsFor(m, n, k);
        try {
            dgemm.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k,
                    1.0, a, lda, b, ldb, accumulate ? 1.0 : 0.0, c, ldc);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            if (held >= 0) {
                gate.exitRead(held);
            }
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    @Override
    public String toString() {
        return "OpenBlas[" + origin + "]";
    }
}
