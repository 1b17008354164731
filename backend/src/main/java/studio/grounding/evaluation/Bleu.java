package studio.grounding.evaluation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-1..4 as pycocoevalcap's {@code BleuScorer.compute_score(option='closest')}: n-gram counts clipped by
 * the maximum count over the references, summed over the split; per image the reference length closest to the
 * hypothesis length (the shorter one on ties) summed over the split; {@code bleu_k = prod_{i<=k} ((correct_i + tiny)
 * / (guess_i + small))^(1/k)} with {@code tiny = 1e-15}, {@code small = 1e-9}; brevity penalty
 * {@code exp(1 - 1/ratio)} when {@code ratio = (testlen + tiny) / (reflen + small) < 1}.
 */
public final class Bleu {

    static final int N = 4;
    static final double TINY = 1e-15;
    static final double SMALL = 1e-9;

    private Bleu() {
    }

    /**
     * BLEU-1..4 of a split.
     *
     * @param hypotheses one tokenised hypothesis per image
     * @param references the tokenised references of each image (at least one), same order
     * @return {@code [bleu1, bleu2, bleu3, bleu4]}
     */
    public static double[] corpus(List<List<String>> hypotheses, List<List<List<String>>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " reference sets");
        }
        long testlen = 0;
        long reflen = 0;
        long[] guess = new long[N];
        long[] correct = new long[N];
        for (int i = 0; i < hypotheses.size(); i++) {
            List<String> hyp = hypotheses.get(i);
            List<List<String>> refs = references.get(i);
            if (refs.isEmpty()) {
                throw new IllegalArgumentException("image " + i + " has no reference");
            }
            Map<String, Integer> maxRef = new HashMap<>();
            int closest = -1;
            for (List<String> ref : refs) {
                ngrams(ref).forEach((k, v) -> maxRef.merge(k, v, Math::max));
                int l = ref.size();
                int d = Math.abs(l - hyp.size());
                // min((abs(l - testlen), l)): smaller distance, then smaller length
                if (closest < 0 || d < Math.abs(closest - hyp.size()) || (d == Math.abs(closest - hyp.size())
                        && l < closest)) {
                    closest = l;
                }
            }
            testlen += hyp.size();
            reflen += closest;
            for (int k = 1; k <= N; k++) {
                guess[k - 1] += Math.max(0, hyp.size() - k + 1);
            }
            for (Map.Entry<String, Integer> e : ngrams(hyp).entrySet()) {
                int order = order(e.getKey());
                correct[order - 1] += Math.min(maxRef.getOrDefault(e.getKey(), 0), e.getValue());
            }
        }
        double[] bleus = new double[N];
        double bleu = 1.0;
        for (int k = 0; k < N; k++) {
            bleu *= (correct[k] + TINY) / (guess[k] + SMALL);
            bleus[k] = Math.pow(bleu, 1.0 / (k + 1));
        }
        double ratio = (testlen + TINY) / (reflen + SMALL);
        if (ratio < 1) {
            for (int k = 0; k < N; k++) {
                bleus[k] *= Math.exp(1 - 1 / ratio);
            }
        }
        return bleus;
    }

    /** All 1..4-grams of a token list with their counts; an n-gram is its tokens joined by single spaces. */
    static Map<String, Integer> ngrams(List<String> words) {
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 1; k <= N; k++) {
            for (int i = 0; i + k <= words.size(); i++) {
                counts.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
            }
        }
        return counts;
    }

    static int order(String ngram) {
        int n = 1;
        for (int i = 0; i < ngram.length(); i++) {
            if (ngram.charAt(i) == ' ') {
                n++;
            }
        }
        return n;
    }
}
