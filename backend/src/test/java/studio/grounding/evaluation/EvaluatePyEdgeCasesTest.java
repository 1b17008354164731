package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.grounding.evaluation.Masks.m;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.mask.Rle;

/**
 * Issue 10 §2: a small split mixing the cases where the platform used to score differently from GLaMM's
 * {@code eval/gcg/evaluate.py}. Every expected number is worked out by hand from evaluate.py's code (and
 * pycocotools' COCOeval for AP50) in the comments. Masks are 1 x 8 ({@code m("11000000")}: pixels 0 and 1).
 */
class EvaluatePyEdgeCasesTest {

    private static final TextSimilarity EXACT = new ExactMatchSimilarity();

    /** Image "1": "Two dogs" has two masks (the label repeated later in the COCO list), "a ball" one. */
    static GcgSample repeatedLabel() {
        String c = "Two dogs chase a ball";
        MaskRle d1 = mask("11000000");
        MaskRle d2 = mask("00110000");
        MaskRle b = mask("00000011");
        GroundedCaption gt = new GroundedCaption(c, List.of(new PhraseSpan(0, 8, "Two dogs", List.of(d1, d2)),
                new PhraseSpan(15, 21, "a ball", List.of(b))));
        GroundedCaption pred = new GroundedCaption(c, List.of(
                new PhraseSpan(0, 8, "Two dogs", List.of(d1, mask("00111000"))),
                new PhraseSpan(15, 21, "a ball", List.of(b))));
        return GcgSample.of("1", gt, pred);
    }

    /** Image "2": an empty predicted mask against an empty GT mask. */
    static GcgSample emptyPair() {
        return new GcgSample("2", "a cat in a hat", List.of("a cat", "a hat"), List.of(m("11110000"), m("00000000")),
                "a cat in a hat", List.of("a cat", "a hat"), List.of(m("11100000"), m("00000000")));
    }

    /** Image "4": GLaMM lists "a horse" (a wrong mask) before "a man", out of caption order. */
    static GcgSample outOfOrder(boolean asListed) {
        List<String> phrases = asListed ? List.of("a horse", "a man") : List.of("a man", "a horse");
        List<Rle> masks = asListed ? List.of(m("00110000"), m("11000000")) : List.of(m("11000000"), m("00110000"));
        return new GcgSample("4", "a man rides a horse", List.of("a man", "a horse"),
                List.of(m("11000000"), m("00001111")), "a man rides a horse", phrases, masks);
    }

    /** Image "5": GLaMM's second phrase "a kite" is not in its caption; its mask matches nothing. */
    static GcgSample phraseNotInCaption(boolean asListed) {
        Rle t = m("11000000");
        Rle q = m("00110000");
        Rle bd = m("00000011");
        return asListed
                ? new GcgSample("5", "a tree and a bird", List.of("a tree", "a bird"), List.of(t, bd),
                "a tree and a bird", List.of("a tree", "a kite", "a bird"), List.of(t, q, bd))
                // what the prediction import made of it: the phrase dropped, its mask unlinked and moved last
                : new GcgSample("5", "a tree and a bird", List.of("a tree", "a bird"), List.of(t, bd),
                "a tree and a bird", List.of("a tree", "a bird"), List.of(t, bd, q));
    }

    @Test
    void theMixedSplitScoresWhatEvaluatePyPrints() {
        GcgReport r = new GcgEvaluator(EXACT).evaluate(List.of(repeatedLabel(), emptyPair(), outOfOrder(true),
                phraseNotInCaption(true)));
        // mIoU (compute_miou on pred x gt):
        //  "1": [[1,0,0],[0,2/3,0],[0,0,1]] -> 1, 1, 2/3 -> 8/9
        //  "2": [[3/4, 0], [0, NaN]]: np.max is NaN, NaN > 0 False -> no pair -> 0
        //  "4": [[0, 0], [1, 0]] -> 1 -> 1;  "5": [[1,0],[0,0],[0,1]] -> 1, 1 -> 1
        //  mean (8/9 + 0 + 1 + 1) / 4 = 13/18
        assertEquals(13.0 / 18, r.miou(), 1e-15);
        // recall (find_best_matches on gt x pred, exact text):
        //  "1": (0,0) 1 "Two dogs", (2,2) 1 "a ball", (1,1) 2/3 "Two dogs" -> 3 of 3
        //  "2": argmax is the NaN at (1,1); NaN < 0.5 False; "a hat" = "a hat" -> TP; then (0,0) 3/4 -> 2 of 2
        //  "4": gt x pred [[0, 1], [0, 0]] -> (0,1) "a man"/"a man" -> 1 of 2
        //  "5": [[1,0,0],[0,0,1]] -> (0,0) "a tree"; (1,2) IoU 1, text_sims[1][2] = "a bird"/"a bird" -> 2 of 2
        //  8 / 9
        assertEquals(8.0 / 9, r.recall(), 1e-15);
        // AP50: images in order "1" "2" "4" "5", detections in listed order (all score 1), 9 GT:
        //  "1" T T T | "2" T F (the empty detection has pycocotools IoU 0 with the empty GT) | "4" F T | "5" T F T
        //  tp 1 2 3 4 4 4 5 6 6 7, fp 0 0 0 0 1 2 2 2 3 3 -> pr 1 1 1 1 .8 4/6 5/7 .75 6/9 .7
        //  monotone from the right: 1 1 1 1 .8 .75 .75 .75 .7 .7; rc = tp/9
        //  thresholds 0..0.44 -> 1 (45), 0.45..0.66 -> .75 (22), 0.67..0.77 -> .7 (11), 0.78.. -> 0
        //  (45 + 16.5 + 7.7) / 101
        assertEquals(69.2 / 101, r.ap50(), 1e-12);
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("IoU is NaN as in the script")), r.notes().toString());
    }

    @Test
    void whatThePlatformUsedToScoreIsOnlyAvailableAsNamedDeviationsOrIsWrong() {
        // the same split with the empty pair's IoU taken as 0 (the old default, now EMPTY_PAIR_IOU_ZERO):
        // "2" -> [[3/4, 0], [0, 0]] -> 3/4, recall 1 of 2 -> mIoU (8/9 + 3/4 + 2) / 4, recall 7/9
        GcgReport zero = new GcgEvaluator(EXACT, Set.of(MaskMetrics.Deviation.EMPTY_PAIR_IOU_ZERO))
                .evaluate(List.of(repeatedLabel(), emptyPair(), outOfOrder(true), phraseNotInCaption(true)));
        assertEquals((8.0 / 9 + 0.75 + 2) / 4, zero.miou(), 1e-15);
        assertEquals(7.0 / 9, zero.recall(), 1e-15);
        assertTrue(zero.notes().stream().anyMatch(n -> n.contains("deviation EMPTY_PAIR_IOU_ZERO")));

        // predictions re-sorted into caption order and the unlocated phrase's mask moved last change AP50:
        //  "4" T F | "5" T T F -> sequence T T T T F T F T T F
        //  pr 1 1 1 1 .8 5/6 5/7 .75 7/9 .7 -> monotone 1 1 1 1 5/6 5/6 7/9 7/9 7/9 .7
        //  rc 1/9 2/9 3/9 4/9 4/9 5/9 5/9 6/9 7/9 7/9
        //  0..0.44 -> 1 (45), 0.45..0.55 -> 5/6 (11), 0.56..0.77 -> 7/9 (22) -> (45 + 55/6 + 154/9) / 101
        GcgReport sorted = new GcgEvaluator(EXACT).evaluate(List.of(repeatedLabel(), emptyPair(), outOfOrder(false),
                phraseNotInCaption(false)));
        assertEquals((45 + 55.0 / 6 + 154.0 / 9) / 101, sorted.ap50(), 1e-12);
    }

    @Test
    void masksOfDifferentSizesStopTheScriptsMiou() {
        // 1x8 against 2x4: numpy cannot broadcast (8 vs 4) -> ValueError in compute_miou, which has no try:
        // evaluate.py prints no mIoU. Recall catches it (0 TP, 1 label); AP50: pycocotools IoU -1 -> FP
        Rle twoRows = Rle.encode(new byte[] {1, 1, 1, 1, 0, 0, 0, 0}, 2, 4);
        GcgSample bad = new GcgSample("9", "a car", List.of("a car"), List.of(m("11000000")), "a car",
                List.of("a car"), List.of(twoRows));
        GcgSample good = new GcgSample("8", "a bus", List.of("a bus"), List.of(m("11000000")), "a bus",
                List.of("a bus"), List.of(m("11000000")));
        GcgReport r = new GcgEvaluator(EXACT).evaluate(List.of(good, bad));
        assertTrue(Double.isNaN(r.miou()));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("ValueError") && n.contains("image 9")),
                r.notes().toString());
        assertEquals(0.5, r.recall(), 1e-15); // 1 TP ("8") of 2 labels
        assertEquals(1, r.recallFailedImages());
        // "8" T, "9" F; 2 GT: rc .5 .5, pr 1 .5 -> monotone 1 .5; 0..0.5 -> 1 (51), beyond -> 0 -> 51/101
        assertEquals(51.0 / 101, r.ap50(), 1e-12);
    }

    /** Issue 10 §1: pycocoevalcap scores a prediction against every reference caption of its image. */
    @Test
    void captionMetricsUseEveryReference() {
        // "1": refs "a dog runs on the grass" + "a dog runs in the grass", prediction = the second;
        // "2": ref = prediction = "a cat sleeps". BLEU-1 = clipped unigram matches / hypothesis unigrams, BP 1
        // (closest reference lengths 6 and 3 = hypothesis lengths): with both references (6 + 3) / 9 = 1;
        // with the first only, "in" does not match: (5 + 3) / 9 (pycocoevalcap adds tiny 1e-15 / small 1e-9)
        Rle mask = m("11");
        GcgSample two = new GcgSample("1", "A dog runs on the grass.", List.of("dog"), List.of(mask),
                "A dog runs in the grass.", List.of("dog"), List.of(mask), List.of("A dog runs in the grass."));
        GcgSample one = new GcgSample("1", "A dog runs on the grass.", List.of("dog"), List.of(mask),
                "A dog runs in the grass.", List.of("dog"), List.of(mask));
        GcgSample cat = new GcgSample("2", "A cat sleeps.", List.of("cat"), List.of(mask), "A cat sleeps.",
                List.of("cat"), List.of(mask));
        GcgReport both = new GcgEvaluator(EXACT).evaluate(List.of(two, cat));
        GcgReport first = new GcgEvaluator(EXACT).evaluate(List.of(one, cat));
        assertEquals(1.0, both.bleu1(), 1e-9);
        assertEquals(8.0 / 9, first.bleu1(), 1e-9);
        assertTrue(both.notes().stream().anyMatch(n -> n.contains("several reference captions")));
        // the per-image scorers see both references, in order
        assertEquals(List.of("A dog runs on the grass.", "A dog runs in the grass."), two.references());
    }

    private static MaskRle mask(String bits) {
        Rle r = m(bits);
        return new MaskRle(r.height(), r.width(), r.toCompressedString());
    }
}
