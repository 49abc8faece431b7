package dev.nabla.models.family;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation of a translating model (the date normalisers of several families), so that they report
 * alike: exact-match accuracy of the greedy and of the beam-search translations, and the greedy accuracy
 * by source length in the buckets {@link #BUCKETS} ({@code 1–9}, {@code 10–13}, …, {@code 26+} characters),
 * with keys {@code exact_match_greedy_len_10_13}, …, {@code exact_match_greedy_len_26_up}.
 */
public final class TranslationAccuracy {
    /** The first length of each bucket; the last bucket is open. */
    public static final int[] BUCKETS = {1, 10, 14, 18, 22, 26};

    private TranslationAccuracy() {
    }

    /**
     * The evaluation.
     *
     * @param sourceLengths each pair's source length
     * @param targets       each pair's reference translation
     * @param greedy        the greedy translations
     * @param beamed        the beam-search translations
     * @param beam          the beam width
     * @return exact match greedy (the headline), beam, then greedy by source length (buckets holding a pair)
     * @throws IllegalArgumentException if the lists differ in size or are empty
     */
    public static Evaluation evaluate(int[] sourceLengths, List<String> targets, List<String> greedy, List<String> beamed,
                                      int beam) {
        int n = targets.size();
        if (n == 0 || sourceLengths.length != n || greedy.size() != n || beamed.size() != n) {
            throw new IllegalArgumentException("TranslationAccuracy: " + sourceLengths.length + " lengths, " + n
                    + " targets, " + greedy.size() + " greedy and " + beamed.size() + " beam translations");
        }
        int[] right = new int[BUCKETS.length];
        int[] total = new int[BUCKETS.length];
        int rightGreedy = 0;
        int rightBeam = 0;
        for (int i = 0; i < n; i++) {
            boolean g = greedy.get(i).equals(targets.get(i));
            rightGreedy += g ? 1 : 0;
            rightBeam += beamed.get(i).equals(targets.get(i)) ? 1 : 0;
            int k = bucket(sourceLengths[i]);
            total[k]++;
            right[k] += g ? 1 : 0;
        }
        double g = 100.0 * rightGreedy / n;
        double b = 100.0 * rightBeam / n;
        List<Evaluation.Metric> metrics = new ArrayList<>();
        metrics.add(new Evaluation.Metric("exact_match_greedy", "exact-match accuracy (greedy)", g, "%"));
        metrics.add(new Evaluation.Metric("exact_match_beam", "exact-match accuracy (beam " + beam + ")", b, "%"));
        StringBuilder byLength = new StringBuilder();
        for (int k = 0; k < BUCKETS.length; k++) {
            if (total[k] == 0) {
                continue;
            }
            String range = k + 1 < BUCKETS.length ? BUCKETS[k] + "_" + (BUCKETS[k + 1] - 1) : BUCKETS[k] + "_up";
            String shown = k + 1 < BUCKETS.length ? BUCKETS[k] + "-" + (BUCKETS[k + 1] - 1) : BUCKETS[k] + "+";
            double a = 100.0 * right[k] / total[k];
            metrics.add(new Evaluation.Metric("exact_match_greedy_len_" + range,
                    "exact-match accuracy (greedy), sources of " + shown + " characters (" + total[k] + " pairs)", a, "%"));
            byLength.append(String.format(Locale.ROOT, "%s%s: %.2f", byLength.isEmpty() ? "" : ", ", shown, a));
        }
        return new Evaluation(metrics, String.format(Locale.ROOT,
                "exact match %.2f %% greedy, %.2f %% with beam %d (%d pairs); greedy by source length (%%): %s",
                g, b, beam, n, byLength));
    }

    /** The index in {@link #BUCKETS} of a length. */
    public static int bucket(int length) {
        int k = 0;
        while (k + 1 < BUCKETS.length && length >= BUCKETS[k + 1]) {
            k++;
        }
        return k;
    }
}
