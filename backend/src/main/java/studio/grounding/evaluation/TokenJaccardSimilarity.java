package studio.grounding.evaluation;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Jaccard index of the lower-cased word sets (words are maximal runs of letters and digits): "a red car" vs
 * "the red car" gives |{red, car}| / |{a, the, red, car}| = 0.5. Two texts without words give 1 if they are equal
 * after {@link ExactMatchSimilarity}'s normalisation, else 0. A fallback, never official.
 */
public final class TokenJaccardSimilarity implements TextSimilarity {

    @Override
    public double similarity(String groundTruthLabel, String predictedPhrase) {
        Set<String> a = words(groundTruthLabel);
        Set<String> b = words(predictedPhrase);
        if (a.isEmpty() && b.isEmpty()) {
            return ExactMatchSimilarity.normalize(groundTruthLabel).equals(ExactMatchSimilarity.normalize(predictedPhrase))
                    ? 1.0 : 0.0;
        }
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        a.retainAll(b);
        return (double) a.size() / union.size();
    }

    static Set<String> words(String s) {
        Set<String> out = new HashSet<>();
        for (String w : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "token-jaccard";
    }

    @Override
    public boolean official() {
        return false;
    }
}
