package studio.grounding.evaluation;

import java.util.List;

/**
 * ROUGE-L as pycocoevalcap's {@code Rouge}: per image, LCS of token lists, precision = LCS / |candidate|, recall =
 * LCS / |reference| (maxima over references), F = (1 + b^2) P R / (R + b^2 P) with b = 1.2, 0 if P or R is 0; the
 * split's score is the mean over images. Tokens come from {@code split(" ")}, so an empty caption is one empty
 * token, as in Python.
 */
public final class RougeL {

    static final double BETA = 1.2;

    private RougeL() {
    }

    /** ROUGE-L of one image. */
    public static double score(List<String> candidate, List<List<String>> references) {
        List<String> c = candidate.isEmpty() ? List.of("") : candidate;
        double precMax = 0;
        double recMax = 0;
        for (List<String> ref : references) {
            List<String> r = ref.isEmpty() ? List.of("") : ref;
            int lcs = lcs(r, c);
            precMax = Math.max(precMax, lcs / (double) c.size());
            recMax = Math.max(recMax, lcs / (double) r.size());
        }
        if (precMax != 0 && recMax != 0) {
            return ((1 + BETA * BETA) * precMax * recMax) / (recMax + BETA * BETA * precMax);
        }
        return 0.0;
    }

    /** Mean ROUGE-L over images. */
    public static double mean(List<List<String>> candidates, List<List<List<String>>> references) {
        if (candidates.isEmpty()) {
            return 0.0;
        }
        double sum = 0;
        for (int i = 0; i < candidates.size(); i++) {
            sum += score(candidates.get(i), references.get(i));
        }
        return sum / candidates.size();
    }

    static int lcs(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
