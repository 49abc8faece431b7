package dev.nabla.models.nn;

import dev.nabla.api.tensor.Generator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Beam search against a toy scorer whose next-token distribution is any function of the prefix: width 1
 * is greedy decoding, and a wide enough beam finds the best sequence found by enumerating them all.
 */
class BeamSearchTest {
    private static final long START = -1;
    private static final long END = 0;

    /** A scorer over prefixes held on the host: each row's state is its prefix. */
    private record Toy(int vocab, Function<long[], double[]> logProbs) implements BeamSearch.Scorer<List<long[]>> {
        @Override
        public BeamSearch.Step<List<long[]>> step(List<long[]> state, long[] tokens) {
            List<long[]> next = new ArrayList<>();
            double[] lp = new double[tokens.length * vocab];
            for (int r = 0; r < tokens.length; r++) {
                long[] p = state.get(r);
                long[] q = tokens[r] == START ? p : append(p, tokens[r]);
                next.add(q);
                System.arraycopy(logProbs.apply(q), 0, lp, r * vocab, vocab);
            }
            return new BeamSearch.Step<>(next, lp);
        }

        @Override
        public List<long[]> select(List<long[]> state, int[] rows) {
            List<long[]> out = new ArrayList<>();
            for (int r : rows) {
                out.add(state.get(r));
            }
            return out;
        }

        @Override
        public int vocabulary() {
            return vocab;
        }
    }

    private static long[] append(long[] p, long t) {
        long[] q = Arrays.copyOf(p, p.length + 1);
        q[p.length] = t;
        return q;
    }

    private static List<long[]> starts(int batch) {
        List<long[]> s = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            s.add(new long[] {-10 - i});   // a row marker, so rows of one batch have different distributions
        }
        return s;
    }

    /** A random distribution per prefix, from a hash of it. */
    private static Function<long[], double[]> randomTable(int vocab, long seed, double sharpness) {
        return prefix -> {
            Generator g = new Generator(seed * 31 + Arrays.hashCode(prefix));
            double[] logits = new double[vocab];
            for (int v = 0; v < vocab; v++) {
                logits[v] = sharpness * g.nextGaussian();
            }
            double m = Arrays.stream(logits).max().orElseThrow();
            double z = 0;
            for (double l : logits) {
                z += Math.exp(l - m);
            }
            double lz = m + Math.log(z);
            return Arrays.stream(logits).map(l -> l - lz).toArray();
        };
    }

    /** The best sequence of at most {@code maxLength} tokens by enumerating all of them. */
    private static BeamSearch.Hypothesis brute(Function<long[], double[]> table, long[] marker, int vocab, int maxLength) {
        BeamSearch.Hypothesis best = null;
        List<long[]> prefixes = List.of(new long[0]);
        List<Double> scores = List.of(0.0);
        for (int t = 0; t < maxLength; t++) {
            List<long[]> next = new ArrayList<>();
            List<Double> nextScores = new ArrayList<>();
            for (int i = 0; i < prefixes.size(); i++) {
                long[] full = new long[marker.length + prefixes.get(i).length];
                System.arraycopy(marker, 0, full, 0, marker.length);
                System.arraycopy(prefixes.get(i), 0, full, marker.length, prefixes.get(i).length);
                double[] lp = table.apply(full);
                for (int v = 0; v < vocab; v++) {
                    double s = scores.get(i) + lp[v];
                    if (v == END) {
                        if (best == null || s > best.score()) {
                            best = new BeamSearch.Hypothesis(prefixes.get(i), s, true);
                        }
                    } else if (t + 1 == maxLength) {
                        if (best == null || s > best.score()) {
                            best = new BeamSearch.Hypothesis(append(prefixes.get(i), v), s, false);
                        }
                    } else {
                        next.add(append(prefixes.get(i), v));
                        nextScores.add(s);
                    }
                }
            }
            prefixes = next;
            scores = nextScores;
        }
        return best;
    }

    @Test
    void widthOneIsGreedy() {
        for (long seed = 0; seed < 40; seed++) {
            Toy toy = new Toy(5, randomTable(5, seed, 1.5));
            BeamSearch<List<long[]>> search = new BeamSearch<>(toy, START, END, 6);
            List<BeamSearch.Hypothesis> greedy = search.greedy(starts(7), 7);
            List<BeamSearch.Hypothesis> beam = search.beam(starts(7), 7, 1);
            for (int i = 0; i < 7; i++) {
                assertArrayEquals(greedy.get(i).tokens(), beam.get(i).tokens(), "seed " + seed + " row " + i);
                assertEquals(greedy.get(i).score(), beam.get(i).score(), 0.0);
                assertEquals(greedy.get(i).finished(), beam.get(i).finished());
            }
        }
    }

    @Test
    void greedyFollowsTheArgmaxAndSumsItsLogProbabilities() {
        // a hand-made table: after the start 1 is likeliest, after 1 the end; so greedy says [1]
        Function<long[], double[]> table = p -> p.length == 1
                ? new double[] {Math.log(0.1), Math.log(0.5), Math.log(0.4)}
                : p[p.length - 1] == 1 ? new double[] {Math.log(0.3), Math.log(0.35), Math.log(0.35)}
                : new double[] {Math.log(0.95), Math.log(0.025), Math.log(0.025)};
        BeamSearch<List<long[]>> search = new BeamSearch<>(new Toy(3, table), START, END, 5);
        BeamSearch.Hypothesis g = search.greedy(starts(1), 1).getFirst();
        // after [1], 1 and 2 tie at 0.35: the lower id, 1; then again 1 …, until the maximum length
        assertArrayEquals(new long[] {1, 1, 1, 1, 1}, g.tokens());
        assertEquals(Math.log(0.5) + 4 * Math.log(0.35), g.score(), 1e-12);
        assertEquals(false, g.finished());
        // beam 2 keeps [2] too, whose end is likely: [2] scores log 0.4 + log 0.95, the best of all
        BeamSearch.Hypothesis b = search.beam(starts(1), 1, 2).getFirst();
        assertArrayEquals(new long[] {2}, b.tokens());
        assertEquals(Math.log(0.4) + Math.log(0.95), b.score(), 1e-12);
        assertTrue(b.finished());
        BeamSearch.Hypothesis best = brute(table, new long[] {-10}, 3, 5);
        assertArrayEquals(best.tokens(), b.tokens());
    }

    @Test
    void aWideBeamFindsTheBestSequenceThatGreedyMisses() {
        int misses = 0;
        for (long seed = 0; seed < 30; seed++) {
            Function<long[], double[]> table = randomTable(3, seed, 1.0);
            Toy toy = new Toy(3, table);
            BeamSearch<List<long[]>> search = new BeamSearch<>(toy, START, END, 4);
            // 2 live tokens, 4 steps: 1 + 2 + 4 + 8·3 = 31 hypotheses in all, so width 40 keeps every one
            List<BeamSearch.Hypothesis> beam = search.beam(starts(3), 3, 40);
            List<BeamSearch.Hypothesis> greedy = search.greedy(starts(3), 3);
            for (int i = 0; i < 3; i++) {
                BeamSearch.Hypothesis best = brute(table, new long[] {-10 - i}, 3, 4);
                assertArrayEquals(best.tokens(), beam.get(i).tokens(), "seed " + seed + " row " + i);
                assertEquals(best.score(), beam.get(i).score(), 1e-12);
                assertTrue(greedy.get(i).score() <= best.score() + 1e-12);
                misses += greedy.get(i).score() < best.score() - 1e-9 ? 1 : 0;
            }
        }
        assertTrue(misses > 5, "the tables are hard enough that greedy misses the best often: " + misses);
    }

    @Test
    void aBadWidthOrLengthIsRefused() {
        Toy toy = new Toy(3, randomTable(3, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BeamSearch<>(toy, START, END, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BeamSearch<>(toy, START, END, 3).beam(starts(1), 1, 0));
        assertTrue(e.getMessage().contains("beam width must be >= 1, got 0"), e.getMessage());
    }
}
