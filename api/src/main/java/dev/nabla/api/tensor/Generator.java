package dev.nabla.api.tensor;

/**
 * An explicit, seeded source of random numbers (xoshiro256**, seeded through SplitMix64). The same
 * seed gives the same sequence on every backend and every run: random tensors are drawn here, on the
 * host, and then copied to the backend.
 *
 * <p>Not thread-safe; give each thread its own generator ({@link #split()}). Its whole state is four
 * longs ({@link #state()}, {@link #fromState(long[])}), so training checkpoints can save it and a
 * resumed run continues the exact sequence.
 */
public final class Generator {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    private Generator(long[] state) {
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The full state, four longs; {@link #fromState} restores it. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /**
     * A generator continuing from a saved {@link #state()}.
     *
     * @throws IllegalArgumentException if the state is not four longs or is all zero
     */
    public static Generator fromState(long[] state) {
        if (state == null || state.length != 4) {
            throw new IllegalArgumentException("generator state must be 4 longs, got "
                    + (state == null ? "null" : state.length));
        }
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("generator state must not be all zero");
        }
        return new Generator(state);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** A uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform integer in {@code [0, bound)}, without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long m = bound - 1;
        long r = nextLong() >>> 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (long u = r; u - (r = u % bound) + m < 0; u = nextLong() >>> 1) {
            // reject the top partial block
        }
        return r;
    }

    /** A standard normal draw (Box–Muller; two uniforms per draw, so the sequence has no hidden cache). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** A new generator seeded from this one's stream; use it to hand independent streams to workers. */
    public Generator split() {
        return new Generator(nextLong());
    }
}
