package dev.nabla.models.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy and beam-search decoding over any next-token scorer, for a batch of sequences at once.
 *
 * <p>A hypothesis {@code y_1 … y_n} (ending in the end token, or cut at {@code maxLength}) scores
 * {@code Σ_t log p(y_t | y_<t)}. <b>Greedy</b> takes {@code argmax_v log p(v | y_<t)} at each step
 * (the lowest id on a tie) until the end token. <b>Beam search</b> with width {@code K} keeps, per
 * sequence, the {@code k = K − (hypotheses already finished)} best extensions of its live prefixes
 * (best score first; on a tie the earlier prefix, then the lower id); an extension by the end token is
 * finished and leaves the beam, which then shrinks by one. A sequence is done when {@code K}
 * hypotheses have finished or the best finished score is at least the best live score (log-probabilities
 * are ≤ 0, so a live prefix can only lose); at {@code maxLength} the live prefixes join the finished ones.
 * The answer is the best finished hypothesis. With {@code K = 1} the single best extension is the
 * greedy choice, so beam search with width 1 is greedy decoding.
 *
 * <p>The scorer sees one row per live prefix: {@link Scorer#step} reads the rows' last tokens and
 * returns their next-token log-probabilities and the state after them; {@link Scorer#select} picks
 * rows of a state (a parent may have several children).
 *
 * @param <S> the scorer's state of a set of rows
 */
public final class BeamSearch<S> {
    /**
     * A next-token model over rows of prefixes.
     *
     * @param <S> its state of a set of rows
     */
    public interface Scorer<S> {
        /**
         * Reads {@code tokens} (one per row) in {@code state}.
         *
         * @param state  the state of the rows before the tokens
         * @param tokens the rows' last tokens
         * @return the state after them and the log-probabilities of the next token, row-major {@code rows × vocab}
         */
        Step<S> step(S state, long[] tokens);

        /** The state of rows {@code rows} of {@code state}, in that order (rows may repeat). */
        S select(S state, int[] rows);

        /** The number of tokens. */
        int vocabulary();
    }

    /**
     * What a {@link Scorer#step} gives.
     *
     * @param state    the rows' state after the tokens
     * @param logProbs row-major {@code rows × vocab} log-probabilities of the next token
     */
    public record Step<S>(S state, double[] logProbs) {
    }

    /**
     * A decoded sequence.
     *
     * @param tokens   the tokens, without the start token or the end token
     * @param score    the sum of their log-probabilities (and the end token's, if finished)
     * @param finished true if it ended with the end token, false if cut at the maximum length
     */
    public record Hypothesis(long[] tokens, double score, boolean finished) {
    }

    private final Scorer<S> scorer;
    private final long start;
    private final long end;
    private final int maxLength;

    /**
     * @param scorer    the next-token model
     * @param start     the token the first step reads
     * @param end       the token that ends a hypothesis
     * @param maxLength the most tokens (end token included) a hypothesis takes
     */
    public BeamSearch(Scorer<S> scorer, long start, long end, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("BeamSearch: maxLength must be >= 1, got " + maxLength);
        }
        this.scorer = scorer;
        this.start = start;
        this.end = end;
        this.maxLength = maxLength;
    }

    /** Greedy decoding of each of {@code batch} rows of {@code initial}. */
    public List<Hypothesis> greedy(S initial, int batch) {
        int v = scorer.vocabulary();
        List<List<Long>> out = new ArrayList<>();
        double[] score = new double[batch];
        boolean[] finished = new boolean[batch];
        int[] rows = new int[batch];            // the live sequences, in row order
        for (int i = 0; i < batch; i++) {
            out.add(new ArrayList<>());
            rows[i] = i;
        }
        long[] tokens = new long[batch];
        Arrays.fill(tokens, start);
        S state = initial;
        for (int t = 0; t < maxLength && rows.length > 0; t++) {
            Step<S> s = scorer.step(state, tokens);
            List<Integer> keep = new ArrayList<>();
            List<Long> next = new ArrayList<>();
            for (int r = 0; r < rows.length; r++) {
                int best = 0;
                for (int k = 1; k < v; k++) {
                    if (s.logProbs()[r * v + k] > s.logProbs()[r * v + best]) {
                        best = k;
                    }
                }
                int seq = rows[r];
                score[seq] += s.logProbs()[r * v + best];
                if (best == end) {
                    finished[seq] = true;
                } else {
                    out.get(seq).add((long) best);
                    keep.add(r);
                    next.add((long) best);
                }
            }
            int[] kept = keep.stream().mapToInt(Integer::intValue).toArray();
            int[] live = new int[kept.length];
            for (int i = 0; i < kept.length; i++) {
                live[i] = rows[kept[i]];
            }
            rows = live;
            tokens = next.stream().mapToLong(Long::longValue).toArray();
            if (rows.length > 0 && t + 1 < maxLength) {
                state = scorer.select(s.state(), kept);
            }
        }
        List<Hypothesis> result = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            result.add(new Hypothesis(out.get(i).stream().mapToLong(Long::longValue).toArray(), score[i], finished[i]));
        }
        return result;
    }

    /** A live prefix: its tokens, score and row in the current state. */
    private record Prefix(long[] tokens, double score, int row) {
    }

    /** A candidate extension: parent prefix index (within its sequence), token, score. */
    private record Candidate(int parent, long token, double score) {
    }

    /**
     * Beam search of width {@code beam} for each of {@code batch} rows of {@code initial}.
     *
     * @throws IllegalArgumentException if {@code beam < 1}
     */
    public List<Hypothesis> beam(S initial, int batch, int beam) {
        if (beam < 1) {
            throw new IllegalArgumentException("BeamSearch: beam width must be >= 1, got " + beam);
        }
        int v = scorer.vocabulary();
        List<List<Prefix>> live = new ArrayList<>();
        List<List<Hypothesis>> done = new ArrayList<>();
        boolean[] over = new boolean[batch];
        long[] tokens = new long[batch];
        for (int i = 0; i < batch; i++) {
            live.add(List.of(new Prefix(new long[0], 0, i)));
            done.add(new ArrayList<>());
            tokens[i] = start;
        }
        S state = initial;
        for (int t = 0; t < maxLength; t++) {
            Step<S> s = scorer.step(state, tokens);
            List<Integer> parents = new ArrayList<>();
            List<Long> next = new ArrayList<>();
            boolean any = false;
            for (int i = 0; i < batch; i++) {
                if (over[i]) {
                    continue;
                }
                List<Prefix> prefixes = live.get(i);
                int k = beam - done.get(i).size();
                List<Candidate> c = new ArrayList<>(prefixes.size() * v);
                for (int p = 0; p < prefixes.size(); p++) {
                    Prefix pre = prefixes.get(p);
                    for (int tok = 0; tok < v; tok++) {
                        c.add(new Candidate(p, tok, pre.score() + s.logProbs()[pre.row() * v + tok]));
                    }
                }
                // best first; ties: earlier prefix, then lower id (the list is in that order; the sort is stable)
                c.sort((a, b) -> Double.compare(b.score(), a.score()));
                List<Prefix> kept = new ArrayList<>();
                for (Candidate cand : c.subList(0, Math.min(k, c.size()))) {
                    long[] parentTokens = prefixes.get(cand.parent()).tokens();
                    if (cand.token() == end) {
                        done.get(i).add(new Hypothesis(parentTokens, cand.score(), true));
                    } else {
                        long[] grown = Arrays.copyOf(parentTokens, parentTokens.length + 1);
                        grown[parentTokens.length] = cand.token();
                        kept.add(new Prefix(grown, cand.score(), -1));
                        parents.add(prefixes.get(cand.parent()).row());
                        next.add(cand.token());
                    }
                }
                double bestDone = done.get(i).stream().mapToDouble(Hypothesis::score).max().orElse(Double.NEGATIVE_INFINITY);
                if (kept.isEmpty() || bestDone >= kept.getFirst().score() || t + 1 == maxLength) {
                    over[i] = true;
                    if (t + 1 == maxLength) {
                        for (Prefix p : kept) {
                            done.get(i).add(new Hypothesis(p.tokens(), p.score(), false));
                        }
                    }
                    // this sequence's new rows are not stepped: drop them
                    for (int r = 0; r < kept.size(); r++) {
                        parents.removeLast();
                        next.removeLast();
                    }
                    live.set(i, List.of());
                } else {
                    int first = parents.size() - kept.size();
                    List<Prefix> placed = new ArrayList<>();
                    for (int r = 0; r < kept.size(); r++) {
                        placed.add(new Prefix(kept.get(r).tokens(), kept.get(r).score(), first + r));
                    }
                    live.set(i, placed);
                    any = true;
                }
            }
            if (!any) {
                break;
            }
            state = scorer.select(s.state(), parents.stream().mapToInt(Integer::intValue).toArray());
            tokens = next.stream().mapToLong(Long::longValue).toArray();
        }
        List<Hypothesis> result = new ArrayList<>();
        for (List<Hypothesis> d : done) {
            Hypothesis best = null;
            for (Hypothesis h : d) {          // the first of the best: hypotheses finished earlier win ties
                if (best == null || h.score() > best.score()) {
                    best = h;
                }
            }
            result.add(best);
        }
        return result;
    }
}
