package dev.nabla.provider.nativeblas.blas;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A readers-writer gate whose readers do not share a cache line: each reader increments the counter of
 * a stripe picked by its thread id (a padded slot of its own), then checks that no writer is waiting; a
 * writer announces itself, then waits for every stripe to drain. Readers are the BLAS products (many
 * threads, microseconds each); the writer is the rare switch of OpenBLAS's global thread count.
 *
 * <p>Correctness is Dekker's: a reader writes its stripe then reads the writer flag, a writer writes the
 * flag then reads every stripe, all with volatile (sequentially consistent) accesses, so one of them
 * sees the other. A reader that sees a writer backs out and waits. Writers are serialized by a monitor.
 * Not reentrant: a thread holding it as a reader must not ask to write.
 */
final class ThreadsGate {
    /** Longs between two stripes' counters: 128 bytes, past the adjacent-line prefetcher. */
    private static final int PAD = 16;
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

    private final int mask;
    private final long[] counts;
    private final Object writers = new Object();
    private volatile boolean writer;

    ThreadsGate() {
        int n = Integer.highestOneBit(Math.clamp(4L * Runtime.getRuntime().availableProcessors(), 4, 64));
        mask = n - 1;
        counts = new long[(n + 1) * PAD];
    }

    /** Enters as a reader, waiting while a writer is in; returns the stripe to pass to {@link #exitRead}. */
    int enterRead() {
        long id = Thread.currentThread().threadId();
        int stripe = ((int) (id ^ (id >>> 16)) & mask) + 1;
        int slot = stripe * PAD;
        while (true) {
            SLOT.getAndAdd(counts, slot, 1L);
            if (!writer) {
                return slot;
            }
            SLOT.getAndAdd(counts, slot, -1L);
            while (writer) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Leaves as a reader. */
    void exitRead(int slot) {
        SLOT.getAndAdd(counts, slot, -1L);
    }

    /** Enters as the one writer, once every reader has left. */
    void lockWrite() {
        boolean interrupted = false;
        synchronized (writers) {
            while (writer) {
                try {
                    writers.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the switch must happen; the interrupt is kept for the caller
                }
            }
            writer = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (int s = 1; s <= mask + 1; s++) {
            while ((long) SLOT.getVolatile(counts, s * PAD) != 0) {
                Thread.onSpinWait();
                Thread.yield();
            }
        }
    }

    /** Leaves as the writer. */
    void unlockWrite() {
        synchronized (writers) {
            writer = false;
            writers.notifyAll();
        }
    }
}
