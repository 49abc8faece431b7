package dev.nabla.models.gan;

import dev.nabla.api.tensor.Generator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The mode-coverage metric on constructed samples, and the toys' modes against their data. */
class ModeCoverageTest {
    private static void put(float[] xy, int at, double x, double y) {
        xy[2 * at] = (float) x;
        xy[2 * at + 1] = (float) y;
    }

    @Test
    void countsModesWithEnoughSamplesWithinThreeSigmaAndTheFractionOfGoodSamples() {
        double[][] c = GanToys.EIGHT_MODES.centres();
        double sigma = GanToys.EIGHT_MODES.sigma();
        // 400 samples: threshold = ceil(0.2 * 400 / 8) = 10
        float[] xy = new float[800];
        int k = 0;
        for (int m = 0; m < 5; m++) {            // modes 0-4: 60 samples each, within 2.9 sigma
            for (int i = 0; i < 60; i++) {
                double angle = 2 * Math.PI * i / 60;
                put(xy, k++, c[m][0] + 2.9 * sigma * Math.cos(angle), c[m][1] + 2.9 * sigma * Math.sin(angle));
            }
        }
        for (int i = 0; i < 9; i++) {            // mode 5: 9 samples, one short of the threshold
            put(xy, k++, c[5][0], c[5][1]);
        }
        for (int i = 0; i < 10; i++) {           // mode 6: exactly the threshold
            put(xy, k++, c[6][0], c[6][1]);
        }
        while (k < 400) {                        // the rest near mode 7 but at 3.1 sigma: bad samples
            put(xy, k++, c[7][0] + 3.1 * sigma, c[7][1]);
        }
        ModeCoverage r = ModeCoverage.of(xy, c, sigma);
        assertEquals(10, r.threshold());
        assertEquals(6, r.covered(), "modes 0-4 and 6");
        assertArrayEquals(new int[] {60, 60, 60, 60, 60, 9, 10, 0}, r.counts());
        assertEquals(319 / 400.0, r.quality(), 1e-12);
    }

    @Test
    void theDataCoversEveryModeWithAlmostOnlyGoodSamples() {
        for (String name : new String[] {GanToys.EIGHT, GanToys.GRID}) {
            GanToys.Modes modes = GanToys.modes(name);
            float[] xy = new float[5000];
            var data = GanToys.splits(name, 7).test();
            System.arraycopy(((dev.nabla.models.data.ArrayDataset) data).values(), 0, xy, 0, 4000);
            ModeCoverage r = modes.coverage(java.util.Arrays.copyOf(xy, 4000));
            assertEquals(modes.centres().length, r.covered(), name);
            assertEquals(0.99, r.quality(), 0.01, name + ": within 3 sigma of a 2-D Gaussian: 98.9 %");
        }
    }

    @Test
    void aCollapsedGeneratorCoversOneModeAndNaNSamplesAreBad() {
        float[] xy = new float[200];
        double[] c = GanToys.GRID_MODES.centres()[12];
        for (int i = 0; i < 99; i++) {
            put(xy, i, c[0], c[1]);
        }
        put(xy, 99, Double.NaN, 0);
        ModeCoverage r = GanToys.GRID_MODES.coverage(xy);
        assertEquals(1, r.covered());
        assertEquals(0.99, r.quality(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> ModeCoverage.of(new float[3], GanToys.GRID_MODES.centres(), 1));
    }
}
