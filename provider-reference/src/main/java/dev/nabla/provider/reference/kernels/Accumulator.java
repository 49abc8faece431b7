package dev.nabla.provider.reference.kernels;

import dev.nabla.provider.reference.storage.HeapStorage;

/**
 * Adds elements of a source storage into positions of a target storage, for the scatter-style kernels
 * ({@code stridedWrite} with accumulate, {@code indexAdd}, {@code scatterAdd}).
 *
 * <p>Floating sums are carried in {@code double} and rounded once, on {@link #finish()}, for float32;
 * integer sums are exact in {@code long} arithmetic and wrap for int32. Bool is not accumulable.
 * Always call {@link #finish()} after the last {@link #add}.
 */
abstract sealed class Accumulator {
    /** An accumulator into {@code target}, for the kernel named {@code kernel} (used in errors). */
    static Accumulator into(HeapStorage target, String kernel) {
        return switch (target) {
            case HeapStorage.Float32 f -> new Widened(f);
            case HeapStorage.Float64 d -> new Doubles(d.data());
            case HeapStorage.Int32 i -> new Longs(i);
            case HeapStorage.Int64 l -> new Longs(l);
            case HeapStorage.Bool b -> throw Unsupported.of(kernel, b.dtype());
        };
    }

    /** {@code target[pos] += src[i]}, where {@code src} has the target's dtype. */
    abstract void add(int pos, HeapStorage src, int i);

    /** Writes any pending sums back to the target. */
    void finish() {
    }

    /** Float32 target: sums in a double copy, rounded on finish. */
    private static final class Widened extends Accumulator {
        private final float[] target;
        private final double[] sums;

        Widened(HeapStorage.Float32 target) {
            this.target = target.data();
            this.sums = new double[this.target.length];
            for (int i = 0; i < sums.length; i++) {
                sums[i] = this.target[i];
            }
        }

        @Override
        void add(int pos, HeapStorage src, int i) {
            sums[pos] += src.getDouble(i);
        }

        @Override
        void finish() {
            for (int i = 0; i < sums.length; i++) {
                target[i] = (float) sums[i];
            }
        }
    }

    /** Float64 target: sums in place. */
    private static final class Doubles extends Accumulator {
        private final double[] target;

        Doubles(double[] target) {
            this.target = target;
        }

        @Override
        void add(int pos, HeapStorage src, int i) {
            target[pos] += src.getDouble(i);
        }
    }

    /** Integer target: exact long sums, int32 wrapping on store. */
    private static final class Longs extends Accumulator {
        private final HeapStorage target;

        Longs(HeapStorage target) {
            this.target = target;
        }

        @Override
        void add(int pos, HeapStorage src, int i) {
            target.setLong(pos, target.getLong(pos) + src.getLong(i));
        }
    }
}
