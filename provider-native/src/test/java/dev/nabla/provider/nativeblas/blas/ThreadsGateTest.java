package dev.nabla.provider.nativeblas.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The gate OpenBLAS products hold while the thread count is switched: no reader is ever inside while the
 * writer is, readers run together, and every reader gets in and out (eight readers, a switching writer,
 * half a second).
 */
class ThreadsGateTest {
    @Test
    void aWriterNeverOverlapsAReaderAndReadersOverlap() throws Exception {
        ThreadsGate gate = new ThreadsGate();
        AtomicInteger readersInside = new AtomicInteger();
        AtomicInteger writersInside = new AtomicInteger();
        AtomicLong violations = new AtomicLong();
        AtomicLong reads = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        AtomicInteger maxReaders = new AtomicInteger();
        long end = System.nanoTime() + 500_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < end) {
                    int slot = gate.enterRead();
                    int in = readersInside.incrementAndGet();
                    maxReaders.accumulateAndGet(in, Math::max);
                    if (writersInside.get() != 0) {
                        violations.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    readersInside.decrementAndGet();
                    gate.exitRead(slot);
                    reads.incrementAndGet();
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            while (System.nanoTime() < end) {
                gate.lockWrite();
                writersInside.incrementAndGet();
                if (readersInside.get() != 0) {
                    violations.incrementAndGet();
                }
                Thread.yield();
                writersInside.decrementAndGet();
                gate.unlockWrite();
                writes.incrementAndGet();
                Thread.yield();
            }
        }));
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, violations.get(), "a reader and the writer were inside together");
        assertTrue(reads.get() > 100 && writes.get() > 0, reads + " reads, " + writes + " writes");
        assertTrue(maxReaders.get() >= 2, "readers never overlapped");
    }
}
