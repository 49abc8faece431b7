package dev.nabla.launcher.bench;

/**
 * How long and how big {@code nabla bench} measures.
 *
 * @param matmulSize   N of the N×N float32 matmul
 * @param rounds       timed rounds per backend and workload; the median is reported
 * @param warmupNanos  minimum warm-up per backend and workload before timing (at least two calls)
 * @param roundNanos   target length of one timed round; the number of calls per round is calibrated
 *                     from the warm-up so that a round lasts about this long (at least one call)
 * @param flowBatch    batch size of the RealNVP training step
 * @param seed         seed of every random input, model initialisation and data set
 */
public record BenchSettings(int matmulSize, int rounds, long warmupNanos, long roundNanos, int flowBatch, long seed) {
    /** The default N of the matmul workload. */
    public static final int STANDARD_MATMUL_SIZE = 1024;
    /** The N of the matmul workload with {@code --quick}. */
    public static final int QUICK_MATMUL_SIZE = 128;
    /** The batch of the flow step: 256 points of the moons data set. */
    public static final int FLOW_BATCH = 256;

    /** Checks the values. */
    public BenchSettings {
        if (matmulSize < 1 || rounds < 1 || warmupNanos < 0 || roundNanos < 1 || flowBatch < 1) {
            throw new IllegalArgumentException("bench settings: size, rounds, round time and batch must be positive, "
                    + "warm-up non-negative; got size " + matmulSize + ", rounds " + rounds + ", warm-up "
                    + warmupNanos + " ns, round " + roundNanos + " ns, batch " + flowBatch);
        }
    }

    /** A full run: matmul 1024, 7 rounds of about 200 ms each after at least 1 s of warm-up. */
    public static BenchSettings standard() {
        return new BenchSettings(STANDARD_MATMUL_SIZE, 7, 1_000_000_000L, 200_000_000L, FLOW_BATCH, 0);
    }

    /**
     * A smoke run for tests and a first look: matmul 128, 3 rounds of about 10 ms after 20 ms of
     * warm-up. Its figures are noisy and the JIT has hardly started; do not quote them.
     */
    public static BenchSettings quick() {
        return new BenchSettings(QUICK_MATMUL_SIZE, 3, 20_000_000L, 10_000_000L, FLOW_BATCH, 0);
    }

    /** A copy with another matmul size. */
    public BenchSettings withMatmulSize(int n) {
        return new BenchSettings(n, rounds, warmupNanos, roundNanos, flowBatch, seed);
    }

    /** A copy with another number of timed rounds. */
    public BenchSettings withRounds(int r) {
        return new BenchSettings(matmulSize, r, warmupNanos, roundNanos, flowBatch, seed);
    }
}
