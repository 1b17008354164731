package studio.grounding.evaluation;

import java.util.Locale;

/**
 * 1 when both texts are equal after lower-casing, trimming and folding runs of whitespace to one space, else 0.
 * A fallback, never official.
 */
public final class ExactMatchSimilarity implements TextSimilarity {

    @Override
    public double similarity(String groundTruthLabel, String predictedPhrase) {
        return normalize(groundTruthLabel).equals(normalize(predictedPhrase)) ? 1.0 : 0.0;
    }

    static String normalize(String s) {
        return s.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }

    @Override
    public String name() {
        return "exact-match";
    }

    @Override
    public boolean official() {
        return false;
    }
}
