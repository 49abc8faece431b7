package dev.nabla.launcher.bench;

import dev.nabla.api.tensor.Scope;

import java.util.Arrays;

/**
 * How a {@link Trial} is timed: a warm-up of single calls (each in its own scope) lasting at least
 * {@link BenchSettings#warmupNanos()} and at least two calls, which also estimates the time of one
 * call; from that, the number of calls that makes a round last about {@link BenchSettings#roundNanos()};
 * then timed rounds, each that many calls inside one scope whose closing (the freeing of every tensor
 * the round made) is timed too. The figure is the median over rounds of the time per call.
 */
public final class Timing {
    /** No round runs more calls than this, however cheap a call is. */
    public static final int MAX_CALLS_PER_ROUND = 10_000_000;

    private Timing() {
    }

    /**
     * Warms {@code trial} up and returns the calls per timed round.
     *
     * @return at least 1
     */
    public static int warmUp(Trial trial, BenchSettings s) {
        long start = System.nanoTime();
        long fastest = Long.MAX_VALUE;
        int calls = 0;
        while (calls < 2 || System.nanoTime() - start < s.warmupNanos()) {
            long t0 = System.nanoTime();
            try (Scope ignored = Scope.open()) {
                trial.run(1);
            }
            long t1 = System.nanoTime();
            calls++;
            if (calls > 1) {                      // the first call pays for class loading and the interpreter
                fastest = Math.min(fastest, t1 - t0);
            }
        }
        return callsPerRound(fastest / 1e9, s.roundNanos());
    }

    /**
     * The number of calls of {@code secondsPerCall} that fill a round of {@code roundNanos}: at least 1,
     * at most {@value #MAX_CALLS_PER_ROUND}.
     */
    public static int callsPerRound(double secondsPerCall, long roundNanos) {
        if (!(secondsPerCall > 0)) {                 // faster than the clock resolution, or NaN
            return MAX_CALLS_PER_ROUND;
        }
        double calls = Math.ceil(roundNanos / 1e9 / secondsPerCall);
        return (int) Math.max(1, Math.min(MAX_CALLS_PER_ROUND, calls));
    }

    /** One timed round of {@code calls} calls in one scope, its closing included; seconds per call. */
    public static double round(Trial trial, int calls) {
        long t0 = System.nanoTime();
        try (Scope ignored = Scope.open()) {
            trial.run(calls);
        }
        long t1 = System.nanoTime();
        return (t1 - t0) / 1e9 / calls;
    }

    /**
     * The median of {@code values} (the mean of the middle two for an even count).
     *
     * @throws IllegalArgumentException if there are none
     */
    public static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of nothing");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
