package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.AlphaChars;

import studio.grounding.mask.Rle;

/** Properties of the GCG metrics on random splits of small masks (4x5 images). */
class GcgProperties {

    private static final int H = 4;
    private static final int W = 5;
    private static final String[] WORDS = {"a", "dog", "cat", "red", "sofa", "man", "the", "tree"};

    private static Rle randomMask(Random rnd, boolean nonEmpty) {
        byte[] px = new byte[H * W];
        double p = rnd.nextDouble();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (rnd.nextDouble() < p ? 1 : 0);
        }
        if (nonEmpty) {
            px[rnd.nextInt(px.length)] = 1;
        }
        return Rle.encode(px, H, W);
    }

    private static String randomText(Random rnd) {
        int n = 1 + rnd.nextInt(3);
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            w.add(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return String.join(" ", w);
    }

    /** A random split; masks may be empty, and label / mask counts may disagree (the script's quirks). */
    private static List<GcgSample> randomSplit(long seed, int images) {
        Random rnd = new Random(seed);
        List<GcgSample> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int g = rnd.nextInt(4);
            int p = rnd.nextInt(5);
            List<Rle> gt = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                gt.add(randomMask(rnd, false));
                labels.add(randomText(rnd));
            }
            List<Rle> pred = new ArrayList<>();
            List<String> phrases = new ArrayList<>();
            for (int j = 0; j < p; j++) {
                pred.add(rnd.nextInt(3) == 0 && g > 0 ? gt.get(rnd.nextInt(g)) : randomMask(rnd, false));
            }
            int np = Math.max(0, p + rnd.nextInt(3) - 1);
            for (int j = 0; j < np; j++) {
                phrases.add(j < labels.size() && rnd.nextBoolean() ? labels.get(j) : randomText(rnd));
            }
            out.add(new GcgSample(Integer.toString(i), randomText(rnd), labels, gt, randomText(rnd), phrases, pred));
        }
        return out;
    }

    /** A split whose prediction equals its ground truth: non-empty masks, one label per mask. */
    private static List<GcgSample> perfectSplit(long seed, int images) {
        Random rnd = new Random(seed);
        List<GcgSample> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            int g = 1 + rnd.nextInt(4);
            List<Rle> gt = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int j = 0; j < g; j++) {
                gt.add(randomMask(rnd, true));
                labels.add(randomText(rnd));
            }
            String caption = randomText(rnd) + " " + randomText(rnd);
            out.add(new GcgSample("img" + i, caption, labels, gt, caption, labels, gt));
        }
        return out;
    }

    @Property
    void miouAndRecallAreInUnitInterval(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int images) {
        List<GcgSample> split = randomSplit(seed, images);
        double miou = MaskMetrics.miou(split);
        assertTrue(miou >= 0 && miou <= 1, "mIoU " + miou);
        for (GcgSample s : split) {
            double m = MaskMetrics.imageMiou(s.predMasks(), s.gtMasks());
            assertTrue(m >= 0 && m <= 1, "image mIoU " + m);
        }
        double recall = MaskMetrics.recall(split, new TokenJaccardSimilarity()).value();
        assertTrue(recall >= 0 && recall <= 1, "recall " + recall);
        double ap = Ap50.compute(split);
        assertTrue(ap == -1 || (ap >= 0 && ap <= 1), "AP50 " + ap);
    }

    @Property
    void identicalPredictionScoresOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int images) {
        List<GcgSample> split = perfectSplit(seed, images);
        assertEquals(1.0, MaskMetrics.miou(split), 1e-12);
        assertEquals(1.0, MaskMetrics.recall(split, new ExactMatchSimilarity()).value());
        assertEquals(1.0, Ap50.compute(split), 1e-12);
        GcgReport r = new GcgEvaluator(new ExactMatchSimilarity()).evaluate(split);
        assertEquals(1.0, r.miou(), 1e-12);
        assertEquals(1.0, r.recall());
        assertEquals(1.0, r.rougeL(), 1e-12);
    }

    @Property
    void imageOrderDoesNotChangeMiouOrRecall(@ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int images,
                                             @ForAll long shuffleSeed) {
        List<GcgSample> split = randomSplit(seed, images);
        List<GcgSample> shuffled = new ArrayList<>(split);
        Collections.shuffle(shuffled, new Random(shuffleSeed));
        assertEquals(MaskMetrics.miou(split), MaskMetrics.miou(shuffled), 1e-12);
        MaskMetrics.Recall a = MaskMetrics.recall(split, new ExactMatchSimilarity());
        MaskMetrics.Recall b = MaskMetrics.recall(shuffled, new ExactMatchSimilarity());
        assertEquals(a.truePositives(), b.truePositives());
        assertEquals(a.labels(), b.labels());
        // AP ranks by image id, not by list order, so it is order-independent too
        assertEquals(Ap50.compute(split), Ap50.compute(shuffled), 0.0);
    }

    @Property
    void bleuOfIdenticalLongEnoughSentencesIsOne(
            @ForAll @Size(min = 4, max = 30) List<@AlphaChars @StringLength(min = 1, max = 8) String> words) {
        List<String> tokens = words.stream().map(String::toLowerCase).toList();
        double[] bleu = Bleu.corpus(List.of(tokens), List.of(List.of(tokens)));
        for (double b : bleu) {
            // tiny/small and the brevity penalty for equal lengths keep it 1e-9-ish below 1
            assertEquals(1.0, b, 1e-8);
        }
    }

    @Property
    void bleuNeverExceedsOneAndRougeIsInUnitInterval(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<List<String>> hyps = new ArrayList<>();
        List<List<List<String>>> refs = new ArrayList<>();
        for (int i = 0; i < 1 + rnd.nextInt(4); i++) {
            hyps.add(List.of(randomText(rnd).split(" ")));
            refs.add(List.of(List.of((randomText(rnd) + " " + randomText(rnd)).split(" "))));
        }
        for (double b : Bleu.corpus(hyps, refs)) {
            assertTrue(b >= 0 && b <= 1 + 1e-12, "bleu " + b);
        }
        double rouge = RougeL.mean(hyps, refs);
        assertTrue(rouge >= 0 && rouge <= 1 + 1e-12, "rouge " + rouge);
        double cider = CiderD.compute(hyps, refs).score();
        assertTrue(cider >= 0, "cider " + cider);
    }
}
