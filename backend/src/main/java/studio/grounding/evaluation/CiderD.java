package studio.grounding.evaluation;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr as pycocoevalcap's {@code CiderScorer} computes it (the CIDEr-D variant: n = 4, sigma = 6, clipping, length
 * penalty), reported by {@code COCOEvalCap} as "CIDEr".
 *
 * <ul>
 *   <li>Document frequency df(g) = number of images whose references contain n-gram g, over the split being scored;
 *       {@code ref_len = log(number of images)}; weight of g = tf(g) * (ref_len - log(max(1, df(g)))).</li>
 *   <li>Per n: {@code sum_g min(vh(g), vr(g)) * vr(g) / (|vh| |vr|)} (the division only when both norms are
 *       nonzero), times {@code e^(-delta^2 / (2 sigma^2))} where delta is the difference of the "lengths" -- which
 *       pycocoevalcap counts as the number of <em>bigrams</em> (its {@code if n == 1}), reproduced here.</li>
 *   <li>Image score = mean over n, summed over references and divided by their number, times 10; the split's score
 *       is the mean over images. A split of one image therefore always scores 0 (ref_len = log 1 = 0 = idf).</li>
 * </ul>
 * When no reference has any n-gram, pycocoevalcap fails ({@code max()} of an empty document frequency); this
 * returns NaN then.
 */
public final class CiderD {

    static final int N = 4;
    static final double SIGMA = 6.0;

    private CiderD() {
    }

    /** Per-image scores (in input order) and their mean. */
    public record Result(double score, List<Double> perImage) {
        public Result {
            perImage = List.copyOf(perImage);
        }
    }

    /** CIDEr-D of a split; hypotheses and reference sets are tokenised and in the same image order. */
    public static Result compute(List<List<String>> hypotheses, List<List<List<String>>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses but " + references.size()
                    + " reference sets");
        }
        Map<String, Integer> df = new HashMap<>();
        for (List<List<String>> refs : references) {
            Set<String> seen = new HashSet<>();
            for (List<String> ref : refs) {
                seen.addAll(Bleu.ngrams(ref).keySet());
            }
            seen.forEach(g -> df.merge(g, 1, Integer::sum));
        }
        if (df.isEmpty()) {
            return new Result(Double.NaN, java.util.Collections.nCopies(hypotheses.size(), Double.NaN));
        }
        double refLen = Math.log(references.size());
        double[] scores = new double[hypotheses.size()];
        double total = 0;
        for (int i = 0; i < hypotheses.size(); i++) {
            Vec h = vec(Bleu.ngrams(hypotheses.get(i)), df, refLen);
            double[] score = new double[N];
            List<List<String>> refs = references.get(i);
            for (List<String> ref : refs) {
                Vec r = vec(Bleu.ngrams(ref), df, refLen);
                double[] val = sim(h, r);
                for (int n = 0; n < N; n++) {
                    score[n] += val[n];
                }
            }
            double avg = (score[0] + score[1] + score[2] + score[3]) / N;
            avg /= refs.size();
            avg *= 10.0;
            scores[i] = avg;
            total += avg;
        }
        return new Result(total / scores.length, java.util.Arrays.stream(scores).boxed().toList());
    }

    private record Vec(List<Map<String, Double>> v, double[] norm, int length) {
    }

    private static Vec vec(Map<String, Integer> counts, Map<String, Integer> df, double refLen) {
        List<Map<String, Double>> v = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        double[] norm = new double[N];
        int length = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            double d = Math.log(Math.max(1.0, df.getOrDefault(e.getKey(), 0)));
            int n = Bleu.order(e.getKey()) - 1;
            double w = e.getValue() * (refLen - d);
            v.get(n).put(e.getKey(), w);
            norm[n] += w * w;
            if (n == 1) {
                length += e.getValue(); // pycocoevalcap's quirk: counts bigrams
            }
        }
        for (int n = 0; n < N; n++) {
            norm[n] = Math.sqrt(norm[n]);
        }
        return new Vec(v, norm, length);
    }

    private static double[] sim(Vec h, Vec r) {
        double delta = h.length() - r.length();
        double[] val = new double[N];
        for (int n = 0; n < N; n++) {
            Map<String, Double> rv = r.v().get(n);
            for (Map.Entry<String, Double> e : h.v().get(n).entrySet()) {
                double ref = rv.getOrDefault(e.getKey(), 0.0);
                val[n] += Math.min(e.getValue(), ref) * ref;
            }
            if (h.norm()[n] != 0 && r.norm()[n] != 0) {
                val[n] /= h.norm()[n] * r.norm()[n];
            }
            val[n] *= Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
        }
        return val;
    }
}
