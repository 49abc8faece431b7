package dev.nabla.provider.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.api.backend.Storage;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.UnsupportedKernelException;
import org.junit.jupiter.api.Test;

/** Layout and indexing: stridedRead/stridedWrite, indexSelect/indexAdd, gather/scatterAdd. */
class LayoutAndIndexingKernelsTest extends KernelTestSupport {

    @Test
    void stridedReadWithNegativeAndZeroStrides() {
        Storage x = f64(iota(12)); // viewed as [3, 4]
        Storage flipped = k.allocate(DType.FLOAT64, 12);
        k.stridedRead(x, 11, new long[] {-4, -1}, s(3, 4), flipped);
        double[] want = new double[12];
        for (int j = 0; j < 12; j++) {
            want[j] = 11 - j;
        }
        assertArrayEquals(want, d(flipped));

        Storage bcast = k.allocate(DType.FLOAT64, 6);
        k.stridedRead(x, 4, new long[] {0, 2}, s(3, 2), bcast); // row 1, every other column, repeated
        assertArrayEquals(new double[] {4, 6, 4, 6, 4, 6}, d(bcast));

        Storage transposed = k.allocate(DType.FLOAT64, 12);
        k.stridedRead(x, 0, new long[] {1, 4}, s(4, 3), transposed);
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, d(transposed));

        Storage scalar = k.allocate(DType.FLOAT64, 1);
        k.stridedRead(x, 7, new long[0], s(), scalar);
        assertArrayEquals(new double[] {7}, d(scalar));

        k.stridedRead(x, 0, new long[] {1, 1}, s(0, 5), k.allocate(DType.FLOAT64, 0));
    }

    @Test
    void stridedWriteAccumulatesOverlappingWindowsAndAssignsOtherwise() {
        // windows of 3 taps at stride 1 over a length-5 signal: src [3 windows, 3 taps]
        Storage out = f32(100, 0, 0, 0, 0);
        k.stridedWrite(f32(1, 1, 1, 1, 1, 1, 1, 1, 1), s(3, 3), out, 0, new long[] {1, 1}, true);
        assertArrayEquals(new float[] {101, 2, 3, 2, 1}, f(out));

        Storage ints = i64(0, 0, 0, 0);
        k.stridedWrite(i64(5, 6), s(2), ints, 3, new long[] {-2}, false);
        assertArrayEquals(new long[] {0, 6, 0, 5}, l(ints));

        Storage broadcastGrad = f64(0, 0);
        k.stridedWrite(f64(1, 2, 3, 4, 5, 6), s(3, 2), broadcastGrad, 0, new long[] {0, 1}, true);
        assertArrayEquals(new double[] {9, 12}, d(broadcastGrad));
    }

    @Test
    void indexSelectAndIndexAddWithRepeatedIndices() {
        Storage x = f64(iota(6)); // [2, 3]
        Storage out = k.allocate(DType.FLOAT64, 8);
        k.indexSelect(x, s(2, 3), 1, i64(2, 0, 2, 1), out);
        assertArrayEquals(new double[] {2, 0, 2, 1, 5, 3, 5, 4}, d(out));

        Storage rows = k.allocate(DType.FLOAT64, 9);
        k.indexSelect(x, s(2, 3), 0, i64(1, 1, 0), rows);
        assertArrayEquals(new double[] {3, 4, 5, 3, 4, 5, 0, 1, 2}, d(rows));

        Storage acc = f32(1, 1, 1, 1, 1, 1); // [2, 3]
        k.indexAdd(f32(1, 2, 3, 4, 10, 20, 30, 40), i64(2, 0, 2, 1), 1, acc, s(2, 3));
        assertArrayEquals(new float[] {3, 5, 5, 21, 41, 41}, f(acc));

        Storage accRows = i32(0, 0, 0, 0); // [2, 2]
        k.indexAdd(i32(1, 2, 3, 4, 5, 6), i64(1, 1, 0), 0, accRows, s(2, 2));
        assertArrayEquals(new int[] {5, 6, 4, 6}, i(accRows));

        Storage none = k.allocate(DType.FLOAT64, 0);
        k.indexSelect(x, s(2, 3), 1, i64(), none);
        k.indexAdd(none, i64(), 1, x, s(2, 3));
        assertArrayEquals(iota(6), d(x));
    }

    @Test
    void gatherAndScatterAddFollowPyTorch() {
        // torch.gather([[1,2],[3,4]], 1, [[0,0],[1,0]]) == [[1,1],[4,3]]
        Storage out = k.allocate(DType.INT64, 4);
        k.gather(i64(1, 2, 3, 4), s(2, 2), 1, i64(0, 0, 1, 0), s(2, 2), out);
        assertArrayEquals(new long[] {1, 1, 4, 3}, l(out));

        // along axis 0 with an index smaller than x: x [3, 3], index [2, 2]
        Storage g = k.allocate(DType.FLOAT64, 4);
        k.gather(f64(iota(9)), s(3, 3), 0, i64(2, 0, 1, 2), s(2, 2), g);
        assertArrayEquals(new double[] {6, 1, 3, 7}, d(g));

        // torch.zeros(3,3).scatter_add_(0, [[0,1,2],[0,0,0]], ones(2,3)) == [[2,1,1],[0,1,0],[0,0,1]]
        Storage sa = k.allocate(DType.FLOAT32, 9);
        k.scatterAdd(f32(1, 1, 1, 1, 1, 1), i64(0, 1, 2, 0, 0, 0), s(2, 3), 0, sa, s(3, 3));
        assertArrayEquals(new float[] {2, 1, 1, 0, 1, 0, 0, 0, 1}, f(sa));

        Storage sb = f64(10, 10, 10, 10, 10, 10); // [2, 3] along axis 1, index [2, 2]
        k.scatterAdd(f64(1, 2, 3, 4), i64(2, 2, 0, 1), s(2, 2), 1, sb, s(2, 3));
        assertArrayEquals(new double[] {10, 10, 13, 13, 14, 10}, d(sb));
    }

    @Test
    void boolAccumulationIsUnsupportedButAssignmentWorks() {
        Storage m = bool(false, false);
        k.stridedWrite(bool(true), s(1), m, 1, new long[] {1}, false);
        assertArrayEquals(new boolean[] {false, true}, b(m));
        assertThrows(UnsupportedKernelException.class,
                () -> k.stridedWrite(bool(true), s(1), m, 1, new long[] {1}, true));
    }
}
