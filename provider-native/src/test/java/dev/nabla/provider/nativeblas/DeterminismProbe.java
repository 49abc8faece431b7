package dev.nabla.provider.nativeblas;

import dev.nabla.api.backend.Backend;
import dev.nabla.api.backend.Kernels;
import dev.nabla.api.backend.ReduceOp;
import dev.nabla.api.backend.Storage;
import dev.nabla.api.backend.UnaryOp;
import dev.nabla.api.spi.BackendProvider;
import dev.nabla.api.spi.Backends;
import dev.nabla.api.types.DType;
import dev.nabla.api.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The child JVM's main of {@link DeterminismTest}: runs exp, log, tanh, sigmoid and sums (whole, along the
 * last axis, along the first) on the native backend, float32 and float64, over fixed inputs, first
 * {@code args[0]} times to warm the JIT up, then once more, and prints one hash of the result's bits per
 * kernel ({@code result <kernel> <hash>}), and the backend's description.
 */
public final class DeterminismProbe {
    private static final UnaryOp[] UNARY = {UnaryOp.EXP, UnaryOp.LOG, UnaryOp.TANH, UnaryOp.SIGMOID};
    private static final double[] SPECIAL = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
        -0.0, 1e-40, 1e-310, 88.7, -103.9, 709.7, -745, 1, -1, 0.625, 1e30};
    /** 13 × 77 elements: 62 vectors of 16 floats and a tail of 9 (of 8 doubles: 125 and a tail of 1). */
    private static final int ROWS = 13;
    private static final int COLS = 77;

    private DeterminismProbe() {
    }

    private static double[] inputs(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[ROWS * COLS];
        for (int i = 0; i < d.length; i++) {
            d[i] = switch (i % 5) {
                case 0 -> SPECIAL[r.nextInt(SPECIAL.length)];
                case 1 -> r.nextDouble(-100, 100);
                case 2 -> r.nextDouble(-1, 1) * 1e-3;
                default -> r.nextDouble(-10, 10);
            };
        }
        return d;
    }

    private static Storage storage(Kernels k, DType t, double[] d) {
        if (t == DType.FLOAT64) {
            return k.fromArray(d.clone());
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return k.fromArray(f);
    }

    private static int hash(Kernels k, Storage s) {
        Object a = k.toArray(s);
        if (a instanceof float[] f) {
            int[] bits = new int[f.length];
            for (int i = 0; i < f.length; i++) {
                bits[i] = Float.floatToRawIntBits(f[i]);
            }
            return Arrays.hashCode(bits);
        }
        double[] d = (double[]) a;
        long[] bits = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            bits[i] = Double.doubleToRawLongBits(d[i]);
        }
        return Arrays.hashCode(bits);
    }

    /**
     * Runs the probe.
     *
     * @param args the number of warm-up rounds
     */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        BackendProvider provider = Backends.providers().stream().filter(p -> p.name().equals("native"))
                .findFirst().orElseThrow();
        Backend backend = provider.create();
        System.out.println("backend: " + backend);
        Kernels k = backend.kernels();
        Shape shape = Shape.of(ROWS, COLS);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Storage x = storage(k, t, inputs(1));
            // sums of values of mixed magnitude, where the order of additions shows in the last bits
            Storage y = storage(k, t, Arrays.stream(inputs(2)).map(v -> Double.isFinite(v) ? v * v * v : 1).toArray());
            Storage out = k.allocate(t, ROWS * COLS);
            Storage all = k.allocate(t, 1);
            Storage lastAxis = k.allocate(t, ROWS);
            Storage firstAxis = k.allocate(t, COLS);
            for (int round = 0; round <= rounds; round++) {
                for (UnaryOp op : UNARY) {
                    k.unary(op, x, out);
                    if (round == rounds) {
                        System.out.println("result " + op + " " + t + " " + hash(k, out));
                    }
                }
                k.reduce(ReduceOp.SUM, y, Shape.of(ROWS * COLS), new int[] {0}, all);
                k.reduce(ReduceOp.SUM, y, shape, new int[] {1}, lastAxis);
                k.reduce(ReduceOp.SUM, y, shape, new int[] {0}, firstAxis);
                if (round == rounds) {
                    System.out.println("result SUM " + t + " " + hash(k, all));
                    System.out.println("result SUM(axis 1) " + t + " " + hash(k, lastAxis));
                    System.out.println("result SUM(axis 0) " + t + " " + hash(k, firstAxis));
                }
            }
        }
        System.out.println("probe: done");
    }
}
