package dev.nabla.provider.nativeblas.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Splits a kernel's index range across cores, for large tensors only.
 *
 * <p>A range of fewer than {@link #GRAIN} elements runs on the calling thread: below that, handing
 * work to another core costs more than it saves. A larger range is cut into one contiguous part per
 * thread; the caller runs the first part and joins the others, which run on a small
 * {@link ForkJoinPool} of daemon threads owned by the backend ({@link #close()} shuts it down). An
 * exception thrown in any part (an integer division by zero) reaches the caller, always after every
 * part has finished.
 */
public final class Parallel implements AutoCloseable {
    /** Elements below which a kernel runs on one thread. */
    public static final long GRAIN = 32_768;

    /** A part of a range: the indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        /** Processes {@code [from, to)}. */
        void run(long from, long to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    /**
     * A splitter over {@code threads} threads (the caller counts as one); 1 runs everything inline.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads - 1, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("nabla-native-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    /** The number of threads a large range is split over. */
    public int threads() {
        return threads;
    }

    /** Runs {@code body} over {@code [0, n)}, split when {@code n · weight >= GRAIN}. */
    public void forRange(long n, long weight, Range body) {
        if (pool == null || n < 2 || n * weight < GRAIN) {
            body.run(0, n);
            return;
        }
        int parts = (int) Math.min(threads, n);
        // each part keeps its own exception: a joined task would rethrow a reflective copy without the message
        RuntimeException[] failures = new RuntimeException[parts];
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts - 1];
        for (int p = 1; p < parts; p++) {
            long from = n * p / parts;
            long to = n * (p + 1) / parts;
            int part = p;
            tasks[p - 1] = pool.submit(() -> {
                try {
                    body.run(from, to);
                } catch (RuntimeException e) {
                    failures[part] = e;
                }
            });
        }
        try {
            body.run(0, n / parts);
        } catch (RuntimeException e) {
            failures[0] = e;
        } finally {
            // even if the caller's own part threw an Error: the other parts write into storages the
            // caller may release as soon as this returns, so none may still be running
            for (ForkJoinTask<?> t : tasks) {
                t.quietlyJoin();
            }
        }
        for (ForkJoinTask<?> t : tasks) {
            if (t.isCompletedAbnormally()) {
                t.join(); // an Error of that part (runtime exceptions are kept in failures)
            }
        }
        for (RuntimeException e : failures) {
            if (e != null) {
                throw e;
            }
        }
    }

    /** Runs {@code body} over {@code [0, n)}, split when {@code n >= GRAIN}. */
    public void forRange(long n, Range body) {
        forRange(n, 1, body);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
