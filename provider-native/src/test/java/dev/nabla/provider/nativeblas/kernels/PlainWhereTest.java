package dev.nabla.provider.nativeblas.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.Shape;
import dev.nabla.provider.nativeblas.memory.BlockPool;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain-loop {@code where} and the broadcast plans behind it: equal shapes (and one-element value
 * operands) take the fast path without a {@link Broadcast} plan, split within the row; other shapes
 * take the plan. Every element width (bool, int32, int64) is checked against the reference backend,
 * below and above the size where the work is split; the plans of bias-add shapes keep their rows.
 */
class PlainWhereTest {
    private static final int[] LENGTHS = {1, 5, 33, (int) Parallel.GRAIN * 2 + 13};

    private static BlockPool memory;
    private static Parallel parallel;
    private static Kernels plain;
    private static Kernels reference;

    @BeforeAll
    static void kernels() {
        memory = new BlockPool(64L << 20);
        parallel = new Parallel(2);
        plain = new NativeKernels(memory, null, parallel, false);
        reference = Backends.providers().stream().filter(p -> p.name().equals("reference")).findFirst()
                .orElseThrow().create().kernels();
    }

    @AfterAll
    static void close() {
        parallel.close();
        memory.close();
    }

    private static Object values(int kind, int n, int seed) {
        return switch (kind) {
            case 0 -> {
                boolean[] z = new boolean[n];
                for (int i = 0; i < n; i++) {
                    z[i] = (i * 7 + seed) % 5 < 2;
                }
                yield z;
            }
            case 1 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = i * 31 + seed;
                }
                yield v;
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (long) i * 1_000_000_007L + seed;
                }
                yield v;
            }
        };
    }

    private static Object where(Kernels k, Object c, Shape cs, Object a, Shape as, Object b, Shape bs, Shape os) {
        Storage sc = k.fromArray(c);
        Storage sa = k.fromArray(a);
        Storage sb = k.fromArray(b);
        Storage so = k.allocate(sa.dtype(), os.size());
        k.where(sc, cs, sa, as, sb, bs, so, os);
        Object r = k.toArray(so);
        for (Storage s : new Storage[] {sc, sa, sb, so}) {
            s.release();
        }
        return r;
    }

    @Test
    void plainWhereMatchesTheReferenceOnEqualScalarAndBroadcastShapes() {
        for (int kind = 0; kind < 3; kind++) {
            for (int n : LENGTHS) {
                Shape full = Shape.of(2, n);
                Shape one = Shape.of(1, 1);
                Shape row = Shape.of(1, n);
                Object c = values(0, 2 * n, 1);
                Shape[][] cases = {
                    {full, full, full}, {full, one, full}, {full, full, one}, {full, one, one},
                    {full, row, full}, {row, full, one},
                };
                for (Shape[] s : cases) {
                    Object cond = s[0].equals(full) ? c : values(0, n, 2);
                    Object a = values(kind, (int) s[1].size(), 3);
                    Object b = values(kind, (int) s[2].size(), 4);
                    Object expected = where(reference, cond, s[0], a, s[1], b, s[2], full);
                    Object actual = where(plain, cond, s[0], a, s[1], b, s[2], full);
                    String what = "kind " + kind + " n " + n + " " + Arrays.toString(s);
                    switch (expected) {
                        case boolean[] z -> assertArrayEquals(z, (boolean[]) actual, what);
                        case int[] v -> assertArrayEquals(v, (int[]) actual, what);
                        default -> assertArrayEquals((long[]) expected, (long[]) actual, what);
                    }
                }
            }
        }
    }

    @Test
    void biasAddPlansKeepTheirRowsAndSteps() {
        Broadcast bias = Broadcast.of(Shape.of(4, 3), Shape.of(4, 3), Shape.of(1, 3));
        assertEquals(4, bias.rows());
        assertEquals(3, bias.length());
        assertEquals(1, bias.step(1));
        assertEquals(1, bias.step(2));
        Broadcast column = Broadcast.of(Shape.of(2, 4, 3), Shape.of(2, 4, 3), Shape.of(1, 4, 1));
        assertEquals(8, column.rows());
        assertEquals(3, column.length());
        assertEquals(0, column.step(2));
        Broadcast merged = Broadcast.of(Shape.of(5, 1, 2, 3), Shape.of(5, 1, 2, 3), Shape.of(1, 1, 1, 1));
        assertEquals(1, merged.rows());
        assertEquals(30, merged.length());
        assertEquals(0, merged.step(2));
        Broadcast scalar = Broadcast.of(Shape.of(1, 1), Shape.of(1, 1));
        assertEquals(1, scalar.rows());
        assertEquals(1, scalar.length());
        Odometer rows = column.rowOdometer();
        rows.seek(5);
        assertEquals(15, rows.at(0));
        assertEquals(1, rows.at(2)); // row 5 is [1, 1]: the bias column's element 1
    }
}
