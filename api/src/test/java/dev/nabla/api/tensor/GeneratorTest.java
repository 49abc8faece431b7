package dev.nabla.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The seeded generator: determinism, resumable state, and the moments of its distributions. */
class GeneratorTest {
    @Test
    void sameSeedSameSequenceDifferentSeedDifferent() {
        Generator a = new Generator(42);
        Generator b = new Generator(42);
        Generator c = new Generator(43);
        long[] sa = new long[100];
        long[] sb = new long[100];
        long[] sc = new long[100];
        for (int i = 0; i < 100; i++) {
            sa[i] = a.nextLong();
            sb[i] = b.nextLong();
            sc[i] = c.nextLong();
        }
        assertArrayEquals(sa, sb);
        assertNotEquals(sa[0], sc[0]);
    }

    @Test
    void savedStateResumesTheExactSequence() {
        Generator g = new Generator(7);
        for (int i = 0; i < 13; i++) {
            g.nextGaussian();
        }
        Generator resumed = Generator.fromState(g.state());
        for (int i = 0; i < 50; i++) {
            assertEquals(g.nextDouble(), resumed.nextDouble());
        }
        assertThrows(IllegalArgumentException.class, () -> Generator.fromState(new long[3]));
        assertThrows(IllegalArgumentException.class, () -> Generator.fromState(new long[4]));
    }

    @Test
    void uniformAndGaussianMoments() {
        Generator g = new Generator(1);
        int n = 200_000;
        double su = 0;
        double sg = 0;
        double sg2 = 0;
        for (int i = 0; i < n; i++) {
            double u = g.nextDouble();
            assertTrue(u >= 0 && u < 1);
            su += u;
            double z = g.nextGaussian();
            sg += z;
            sg2 += z * z;
        }
        // standard errors: uniform mean 1/sqrt(12 n) ~ 6.5e-4, gaussian mean 1/sqrt(n) ~ 2.2e-3
        assertEquals(0.5, su / n, 5 * 6.5e-4);
        assertEquals(0.0, sg / n, 5 * 2.3e-3);
        assertEquals(1.0, sg2 / n, 5 * Math.sqrt(2.0 / n));
    }

    @Test
    void boundedIntegersAreUniform() {
        Generator g = new Generator(3);
        int[] counts = new int[6];
        int n = 60_000;
        for (int i = 0; i < n; i++) {
            counts[(int) g.nextLong(6)]++;
        }
        for (int c : counts) {
            assertEquals(n / 6.0, c, 5 * Math.sqrt(n / 6.0));
        }
    }
}
