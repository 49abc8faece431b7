package dev.nabla.models.data;

import dev.nabla.api.Nabla;
import dev.nabla.api.tensor.Generator;
import dev.nabla.api.tensor.TensorFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToyDatasetsTest {
    private final TensorFactory f = TensorFactory.on(Nabla.backend("reference"));

    @Test
    void everySetIsDeterministicFromItsSeedAndSplitsDiffer() {
        for (String name : ToyDatasets.NAMES) {
            DataSplits a = ToyDatasets.splits(name, 300, 50, 70, 42);
            DataSplits b = ToyDatasets.splits(name, 300, 50, 70, 42);
            DataSplits c = ToyDatasets.splits(name, 300, 50, 70, 43);
            float[] ta = ((ArrayDataset) a.train()).values();
            assertArrayEquals(ta, ((ArrayDataset) b.train()).values(), name);
            assertArrayEquals(((ArrayDataset) a.test()).values(), ((ArrayDataset) b.test()).values(), name);
            assertFalse(java.util.Arrays.equals(ta, ((ArrayDataset) c.train()).values()), name + ": seed must matter");
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(ta, 100),
                    java.util.Arrays.copyOf(((ArrayDataset) a.test()).values(), 100)), name + ": splits must differ");
            assertEquals(300, a.train().size());
            assertEquals(50, a.validation().size());
            assertEquals(70, a.test().size());
            assertEquals(java.util.List.of(70, 2), java.util.List.of(a.test().all(f).get("x").dim(0), a.test().all(f).get("x").dim(1)));
            for (float v : ta) {
                assertTrue(Float.isFinite(v) && Math.abs(v) < 8, name + ": value " + v + " outside the usual scale");
            }
        }
    }

    /** Spot checks of the scales: moons after 2·p + (−1, −0.2), circles radii 3 and 1.5, checkerboard squares. */
    @Test
    void scalesMatchTheUsualToySets() {
        float[] moons = ToyDatasets.sample("moons", 20000, new Generator(1));
        double mx = 0;
        double my = 0;
        for (int i = 0; i < moons.length; i += 2) {
            mx += moons[i];
            my += moons[i + 1];
        }
        // E[x] = 2·0.5 − 1 = 0; E[y] = 2·(E over both moons of y) − 0.2 = 2·0.25 − 0.2 = 0.3 (mean of sin on [0, π] is 2/π: ½(2/π) + ½(0.5 − 2/π) = 0.25)
        assertEquals(0.0, mx / 20000, 0.03);
        assertEquals(0.3, my / 20000, 0.03);
        float[] circles = ToyDatasets.sample("circles", 4000, new Generator(2));
        double outer = 0;
        double inner = 0;
        int nOuter = 0;
        for (int i = 0; i < circles.length; i += 2) {
            double r = Math.hypot(circles[i], circles[i + 1]);
            if (r > 2.25) {
                outer += r;
                nOuter++;
            } else {
                inner += r;
            }
        }
        assertEquals(3.0, outer / nOuter, 0.05, "outer circle radius");
        assertEquals(1.5, inner / (4000 - nOuter), 0.05, "inner circle radius");
        assertEquals(2000, nOuter, 150, "half the points on each circle");
        float[] board = ToyDatasets.sample("checkerboard", 4000, new Generator(3));
        for (int i = 0; i < board.length; i += 2) {
            long cx = (long) Math.floor(board[i] / 2);
            long cy = (long) Math.floor(board[i + 1] / 2);
            assertTrue(Math.abs(board[i]) <= 4 && Math.abs(board[i + 1]) <= 4);
            assertEquals(0, Math.floorMod(cx + cy, 2), "point on a light square: " + board[i] + ", " + board[i + 1]);
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ToyDatasets.sample("mooons", 3, new Generator(1)));
        assertTrue(e.getMessage().contains("'mooons'") && e.getMessage().contains("2spirals")
                && e.getMessage().contains("checkerboard"), e.getMessage());
    }
}
