package dev.nabla.models.fewshot;

import dev.nabla.api.tensor.Generator;
import dev.nabla.api.types.Shape;
import dev.nabla.models.data.ArrayDataset;
import dev.nabla.models.data.DataCatalog;
import dev.nabla.models.data.DataSplits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Episodes have N classes with K supports each and one query of one of them, the images are the ones
 * their indices name, labels map consistently to source classes, and the class split keeps the held-out
 * classes out of training and validation.
 */
class EpisodesTest {
    /** {@code perClass} images of each of {@code classes}, each image filled with its own index. */
    static ArrayDataset indexed(List<Integer> classes, int perClass) {
        int n = classes.size() * perClass;
        float[] v = new float[n * 784];
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(v, i * 784, (i + 1) * 784, i);
            l[i] = classes.get(i % classes.size());
        }
        return new ArrayDataset(v, Shape.of(784), l);
    }

    @Test
    void anEpisodeHasNClassesKShotsEachAndAQueryOfOneOfThem() {
        ArrayDataset data = indexed(List.of(0, 1, 2, 3, 4, 5), 20);
        Episodes episodes = FewShotData.episodes(data);
        Generator g = new Generator(1);
        int[] queryLabels = new int[4];
        for (int trial = 0; trial < 400; trial++) {
            int ways = 2 + trial % 3;
            int shots = 1 + trial % 5;
            Episodes.Episode e = episodes.draw(ways, shots, g);
            assertEquals(ways * shots + 1, e.length());
            int[] count = new int[ways];
            for (int s = 0; s < e.length() - 1; s++) {
                count[e.labels()[s]]++;
            }
            int[] expected = new int[ways];
            Arrays.fill(expected, shots);
            assertArrayEquals(expected, count);
            assertEquals(ways, Arrays.stream(e.classes()).distinct().count());
            assertTrue(e.answer() >= 0 && e.answer() < ways);
            assertEquals(ways * shots + 1, Arrays.stream(e.indices()).distinct().count(), "an image twice");
            for (int s = 0; s < e.length(); s++) {
                int index = e.indices()[s];
                assertEquals(data.labels()[index], e.classes()[e.labels()[s]], "label and source class disagree");
                assertEquals(index, e.images()[s * 784 + 100], 0f, "wrong image at step " + s);
            }
            if (ways == 4) {
                queryLabels[e.answer()]++;
            }
        }
        for (int c : queryLabels) {
            assertTrue(c > 15, "query labels " + Arrays.toString(queryLabels));
        }
    }

    @Test
    void theSupportsComeInRandomOrder() {
        Episodes episodes = FewShotData.episodes(indexed(List.of(0, 1, 2, 3), 10));
        Generator g = new Generator(2);
        Set<String> orders = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            orders.add(Arrays.toString(Arrays.copyOf(episodes.draw(4, 2, g).labels(), 8)));
        }
        assertTrue(orders.size() > 30, orders.size() + " orders");
    }

    @Test
    void theSameSeedGivesTheSameEpisodes() {
        Episodes episodes = FewShotData.episodes(indexed(List.of(6, 7, 8, 9), 10));
        Episodes.Episode a = episodes.draw(4, 5, new Generator(3));
        Episodes.Episode b = episodes.draw(4, 5, new Generator(3));
        assertArrayEquals(a.indices(), b.indices());
        assertArrayEquals(a.labels(), b.labels());
        assertNotEquals(Arrays.toString(a.indices()), Arrays.toString(episodes.draw(4, 5, new Generator(4)).indices()));
    }

    @Test
    void trainingEpisodesNeverDrawHeldOutClasses() {
        ArrayDataset all = indexed(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 12);
        Episodes train = FewShotData.episodes(FewShotData.only(all, FewShotData.TRAIN_CLASSES));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, train.classes());
        Generator g = new Generator(5);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            for (int c : train.draw(4, 1 + i % 5, g).classes()) {
                seen.add(c);
            }
        }
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), seen);
        assertArrayEquals(new int[] {6, 7, 8, 9},
                FewShotData.episodes(FewShotData.only(all, FewShotData.HELD_OUT_CLASSES)).classes());
        Set<Integer> both = new HashSet<>(FewShotData.TRAIN_CLASSES);
        both.retainAll(FewShotData.HELD_OUT_CLASSES);
        assertTrue(both.isEmpty());
    }

    @Test
    void badEpisodesAreRefusedByName() {
        Episodes episodes = FewShotData.episodes(indexed(List.of(0, 1, 2), 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> episodes.draw(4, 1, new Generator(1)));
        assertTrue(e.getMessage().contains("ways") && e.getMessage().contains("[0, 1, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> episodes.draw(2, 3, new Generator(1)));
        assertTrue(e.getMessage().contains("3 images"), e.getMessage());
    }

    @Test
    void theFashionMnistSplitKeepsSixClassesForTrainingAndFourForTesting() {
        Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(DataCatalog.fashionMnistDir()
                .resolve("train-images-idx3-ubyte.gz")), "no Fashion-MNIST at " + DataCatalog.fashionMnistDir());
        DataSplits s = FewShotData.load(1, Map.of());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, FewShotData.episodes(s.train()).classes());
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, FewShotData.episodes(s.validation()).classes());
        assertArrayEquals(new int[] {6, 7, 8, 9}, FewShotData.episodes(s.test()).classes());
        assertEquals(4_000, s.test().size());                 // 1,000 test images per class
        assertEquals(60_000 * 6 / 10, s.train().size() + s.validation().size());
        assertFalse(s.train().size() == 0);
    }
}
