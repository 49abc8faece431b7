package dev.nabla.provider.nativeblas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.Scope;
import dev.nabla.api.tensor.Tensor;
import dev.nabla.api.tensor.TensorFactory;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.ReleasedTensorException;
import dev.nabla.provider.nativeblas.blas.BlasLocator;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import dev.nabla.provider.nativeblas.memory.NativeStorage;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The off-heap memory of the native backend: released blocks are reused and come back zero-filled,
 * a released storage fails cleanly, every byte is accounted for after scopes close, releases race
 * safely, and closing the pool or the backend makes stray access an exception rather than a crash.
 */
class MemoryPoolTest {
    private NativeBackend backend;

    @BeforeEach
    void create() {
        backend = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(2, "test")).create();
    }

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void aScopeFullOfSmallBlocksIsServedAgainFromTheThreadsOwnCache() {
        try (BlockPool pool = new BlockPool(1L << 30)) {
            for (long elements : new long[] {16, 1000, 4096, 16_384}) { // 64 B up to 64 KiB blocks
                int count = (int) Math.min(5000, (1L << 20) / (elements * 4));
                List<NativeStorage> first = new ArrayList<>();
                Set<Long> addresses = new HashSet<>();
                for (int i = 0; i < count; i++) {
                    NativeStorage s = pool.allocate(DType.FLOAT32, elements);
                    s.overwrite().fill((byte) 0x55);
                    first.add(s);
                    addresses.add(s.segment().address());
                }
                first.forEach(NativeStorage::release);
                long reusedBefore = pool.reusedBlocks();
                List<NativeStorage> second = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    NativeStorage s = pool.allocate(DType.FLOAT32, elements);
                    assertTrue(addresses.remove(s.segment().address()), "each released block is handed out once");
                    assertEquals(0f, s.segment().get(ValueLayout.JAVA_FLOAT, 4 * (elements - 1)), "zero-filled");
                    second.add(s);
                }
                second.forEach(NativeStorage::release);
                assertEquals(count, pool.reusedBlocks() - reusedBefore, "no new block for " + elements + " floats");
                assertEquals(0, pool.liveBytes());
            }
        }
    }

    @Test
    void releasedBlocksAreReusedAndComeBackZeroFilled() {
        BlockPool pool = new BlockPool(1L << 30);
        try (pool) {
            NativeStorage a = pool.allocate(DType.FLOAT32, 1000);
            long address = a.segment().address();
            a.segment().fill((byte) 0x7f);
            a.release();
            assertEquals(0, pool.liveBytes());
            NativeStorage b = pool.allocate(DType.INT32, 990); // same size class (4 KiB + ...)
            assertEquals(address, b.segment().address(), "the released block is handed out again");
            assertEquals(1, pool.reusedBlocks());
            for (long i = 0; i < b.byteSize(); i++) {
                assertEquals(0, b.segment().get(ValueLayout.JAVA_BYTE, i), "byte " + i + " is zero again");
            }
            NativeStorage c = pool.allocate(DType.INT32, 990);
            assertTrue(c.segment().address() != address, "a live block is never handed out twice");
            assertEquals(b.byteSize() + c.byteSize(), pool.liveBytes());
        }
    }

    @Test
    void aReusedBlockReadsAsZerosInAccumulatingKernelsAndIsFullyWrittenByOthers() {
        Kernels k = backend.kernels();
        Storage old = k.allocate(DType.FLOAT64, 6);
        k.fill(old, 7.0);
        old.release();
        // an accumulating kernel adds into what allocate() returned: it must see zeros, not the 7s
        Storage out = k.allocate(DType.FLOAT64, 6);
        Storage src = k.fromArray(new double[] {1, 2, 3});
        Storage index = k.fromArray(new long[] {0, 2, 4});
        k.indexAdd(src, index, 0, out, dev.nabla.api.types.Shape.of(6));
        assertArrayEquals(new double[] {1, 0, 2, 0, 3, 0}, (double[]) k.toArray(out));
        out.release();
        // a kernel that writes every element skips the zeroing and leaves nothing of the old contents
        Storage again = k.allocate(DType.FLOAT64, 6);
        k.unary(dev.nabla.api.backend.UnaryOp.NEG, k.fromArray(new double[] {1, 2, 3, 4, 5, 6}), again);
        assertArrayEquals(new double[] {-1, -2, -3, -4, -5, -6}, (double[]) k.toArray(again));
    }

    @Test
    void largeBlocksAreReusedUpToTheRetainLimitAndFreedBeyondIt() {
        long big = 3L << 20;
        try (BlockPool keeping = new BlockPool(1L << 30)) {
            NativeStorage a = keeping.allocate(DType.FLOAT64, big / 8);
            long address = a.segment().address();
            a.release();
            assertTrue(keeping.retainedLargeBytes() >= big);
            assertEquals(address, keeping.allocate(DType.FLOAT64, big / 8).segment().address());
        }
        try (BlockPool freeing = new BlockPool(0)) {
            NativeStorage a = freeing.allocate(DType.FLOAT64, big / 8);
            var segment = a.segment();
            a.release();
            assertEquals(0, freeing.retainedLargeBytes(), "over the limit the block is freed at once");
            assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_BYTE, 0),
                    "freed memory cannot be reached through a stale segment");
        }
    }

    /**
     * New blocks come from the C library unzeroed (UnzeroedMemory): memory it had handed out before, full of
     * old values, must still read as zeros through a new storage — for a small block from the shared arena
     * and for a large one with an arena of its own, freed and allocated again.
     */
    @Test
    void aNewBlockOnMemoryTheCLibraryHadGivenOutBeforeReadsAsZeros() {
        for (long elements : new long[] {24, 300_000}) {   // a slab block and a block of its own (> 1 MiB)
            for (int round = 0; round < 20; round++) {
                try (BlockPool pool = new BlockPool(0)) {   // retains nothing: closing frees every block
                    NativeStorage dirty = pool.allocate(DType.FLOAT32, elements);
                    dirty.overwrite().fill((byte) 0x7f);
                }
                try (BlockPool pool = new BlockPool(0)) {
                    NativeStorage fresh = pool.allocate(DType.FLOAT32, elements);
                    var seg = fresh.segment();
                    for (long i = 0; i < elements; i += Math.max(1, elements / 997)) {
                        assertEquals(0f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, i), "element " + i + " of " + elements);
                    }
                    assertEquals(0f, seg.getAtIndex(ValueLayout.JAVA_FLOAT, elements - 1));
                    assertEquals(0, seg.address() % 64, "64-byte aligned");
                }
            }
        }
    }

    @Test
    void sizeClassesFitEveryRequestWithAtMostAQuarterWasted() {
        BlockPool pool = new BlockPool(0);
        try (pool) {
            for (long bytes : new long[] {1, 8, 63, 64, 65, 100, 128, 129, 1000, 4096, 4097, 1 << 20, (1 << 20) + 1,
                    123_456_789}) {
                NativeStorage s = pool.allocate(DType.BOOL, bytes);
                assertEquals(bytes, s.byteSize());
                s.release();
            }
        }
    }

    @Test
    void aReleasedStorageFailsCleanlyAndReleaseIsIdempotent() {
        Kernels k = backend.kernels();
        Storage s = k.fromArray(new float[] {1, 2, 3});
        s.release();
        s.release();
        assertTrue(s.isReleased());
        assertEquals(0, backend.liveBytes(), "a double release returns the block once");
        ReleasedTensorException e = assertThrows(ReleasedTensorException.class, () -> k.toArray(s));
        assertTrue(e.getMessage().contains("after release"), e.getMessage());
        Storage out = k.allocate(DType.FLOAT32, 3);
        assertThrows(ReleasedTensorException.class, () -> k.copy(s, out));
        // through the tensor API: a tensor of a closed scope names itself
        TensorFactory f = TensorFactory.on(backend);
        Tensor t;
        try (Scope scope = Scope.open()) {
            t = f.ones(4);
        }
        ReleasedTensorException te = assertThrows(ReleasedTensorException.class, () -> t.add(1.0));
        assertTrue(te.getMessage().contains("released"), te.getMessage());
        out.release();
    }

    @Test
    void liveBytesReturnToZeroAfterScopesClose() {
        TensorFactory f = TensorFactory.on(backend);
        Generator gen = new Generator(3);
        Tensor w;
        Tensor b;
        try (Scope init = Scope.open()) {
            w = f.randn(gen, 64, 300).toParameter();
            b = f.zeros(300).toParameter();
        }
        long params = backend.liveBytes();
        assertEquals((64 * 300 + 300) * 4L, params, "only the two parameters are live");
        for (int step = 0; step < 50; step++) {
            try (Scope s = Scope.open()) {
                Tensor x = f.randn(gen, 200, 64); // 60,000-element activations: the split paths run
                Tensor loss = x.matmul(w).add(b).tanh().logSoftmax(1).mean().neg();
                loss.backward();
                assertTrue(backend.liveBytes() > params);
            }
        }
        assertEquals(2 * params, backend.liveBytes(), "parameters and their gradients stay, nothing else");
        w.close();
        b.close();
        assertEquals(0, backend.liveBytes(), "closing the parameters frees everything");
    }

    @Test
    void concurrentReleasesReturnEachBlockExactlyOnce() throws Exception {
        Kernels k = backend.kernels();
        List<Storage> storages = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            storages.add(k.allocate(DType.FLOAT32, 16 + i % 7));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(threads.submit(() -> storages.forEach(Storage::release))); // every thread releases all
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(0, backend.liveBytes());
        Set<Long> addresses = new HashSet<>();
        for (int i = 0; i < 4000; i++) {
            NativeStorage s = (NativeStorage) k.allocate(DType.FLOAT32, 16 + i % 7);
            assertTrue(addresses.add(s.segment().address()), "block handed out twice: " + s.segment());
        }
    }

    @Test
    void threadsSharingTheBackendGetTheirOwnRightAnswers() throws Exception {
        TensorFactory f = TensorFactory.on(backend);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<double[]>> results = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                double scale = t + 1;
                results.add(threads.submit(() -> {
                    Tensor kept;
                    try (Scope s = Scope.open()) {
                        // 40,000 elements: the kernels split across the backend's threads as well
                        Tensor w = f.ones(200, 200).mul(scale).requiresGrad(true);
                        for (int i = 0; i < 20; i++) {
                            w.mul(w).sum().backward();
                        }
                        kept = s.keep(w.grad().sum(0, false).slice(0, 0, 3));
                    }
                    double[] v = kept.toDoubleArray();
                    kept.close();
                    return v;
                }));
            }
            for (int t = 0; t < 3; t++) {
                double expected = 20 * 2 * (t + 1) * 200; // 20 gradients of w² summed over 200 rows
                assertArrayEquals(new double[] {expected, expected, expected}, results.get(t).get(), 1e-3);
            }
        } finally {
            threads.shutdown();
        }
        assertEquals(0, backend.liveBytes(), "every thread's storages were released");
    }

    @Test
    void closingTheBackendTurnsStrayAccessIntoExceptions() {
        NativeBackend other = NativeBackendProvider.using(BlasLocator.standard(), new ThreadSetting(1, "test")).create();
        Kernels k = other.kernels();
        Storage live = k.fromArray(new double[] {1, 2});
        assertArrayEquals(new double[] {1, 2}, (double[]) k.toArray(live));
        other.close();
        assertThrows(IllegalStateException.class, () -> k.toArray(live));
        assertThrows(IllegalStateException.class, () -> k.allocate(DType.FLOAT32, 4));
        live.release(); // after close: harmless
        assertFalse(live.toString().isEmpty());
    }
}
