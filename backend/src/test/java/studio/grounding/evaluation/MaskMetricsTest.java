package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.grounding.evaluation.Masks.m;
import static studio.grounding.evaluation.Masks.sample;

import java.util.List;

import org.junit.jupiter.api.Test;

import studio.grounding.mask.Rle;

class MaskMetricsTest {

    private static final TextSimilarity EXACT = new ExactMatchSimilarity();
    private static final TextSimilarity JACCARD = new TokenJaccardSimilarity();
    private static final java.util.Set<MaskMetrics.Deviation> ZERO =
            java.util.Set.of(MaskMetrics.Deviation.EMPTY_PAIR_IOU_ZERO);

    // ------------------------------------------------------------------ mIoU

    @Test
    void greedyStopsAtZeroAndDoesNotPenaliseUnmatched() {
        // G0 = px 0-3, G1 = px 4-7; P0 = px 0-4, P1 = px 2-3
        // M[pred][gt]: P0: [4/5 = 0.8, 1/8 = 0.125]; P1: [2/4 = 0.5, 0]
        // take 0.8 (P0,G0), delete row 0 / col 0, left M[1][1] = 0 -> stop. mean(0.8) = 0.8 (not (0.8+0)/2)
        List<Rle> gt = List.of(m("1111000000"), m("0000111100"));
        List<Rle> pred = List.of(m("1111100000"), m("0011000000"));
        assertEquals(0.8, MaskMetrics.imageMiou(pred, gt), 1e-15);
    }

    @Test
    void tiesGoToTheFirstEntryInRowMajorOrder() {
        // G0 = px 0-3, G1 = px 0,1,4,5; P0 = px 0-1, P1 = px 2,3,6
        // P0: IoU(G0) = 2/4 = 0.5, IoU(G1) = 2/4 = 0.5; P1: IoU(G0) = 2/5 = 0.4, IoU(G1) = 0/7 = 0
        // first max in row-major order is (P0,G0) = 0.5; then only (P1,G1) = 0 is left -> mean 0.5.
        // Taking the other tie (P0,G1) would leave (P1,G0) = 0.4 -> mean 0.45.
        List<Rle> gt = List.of(m("1111000"), m("1100110"));
        List<Rle> pred = List.of(m("1100000"), m("0011001"));
        double[][] iou = Rle.iou(pred, gt, null);
        assertEquals(0.5, iou[0][0]);
        assertEquals(0.5, iou[0][1]);
        assertEquals(0.4, iou[1][0]);
        assertEquals(0.5, MaskMetrics.imageMiou(pred, gt), 1e-15);
    }

    @Test
    void laterPairsComeFromWhatIsLeft() {
        // G0 = px 0-3, G1 = px 3-6; P0 = px 1-4, P1 = px 0-2
        // P0: IoU(G0) = |1-3| / |0-4| = 3/5 = 0.6, IoU(G1) = |3-4| / |1-6| = 2/6
        // P1: IoU(G0) = 3/4 = 0.75, IoU(G1) = 0
        // greedy: 0.75 (P1,G0) although P0's best is G0 too; then (P0,G1) = 1/3 -> mean (0.75 + 1/3) / 2
        List<Rle> gt = List.of(m("1111000"), m("0001111"));
        List<Rle> pred = List.of(m("0111100"), m("1110000"));
        assertEquals((0.75 + 2.0 / 6) / 2, MaskMetrics.imageMiou(pred, gt), 1e-15);
    }

    @Test
    void emptyCases() {
        Rle empty = m("0000");
        Rle full = m("1111");
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(), List.of(full)));
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(full), List.of()));
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(), List.of()));
        // an empty prediction vs a real mask is 0/|G| = 0
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(empty), List.of(full)));
        // empty/empty: compute_iou is np.sum(and)/np.sum(or) = 0/0 = NaN; np.max([[NaN]]) is NaN, NaN > 0 is false ->
        // no pair -> 0.0. With the named deviation the IoU is 0 -> no pair either -> 0.0
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(empty), List.of(empty)));
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(empty), List.of(empty), ZERO));
        // [[NaN, 0], [0, 1]]: the script stops at once (np.max is NaN) and scores 0 although (P1, G1) has IoU 1
        assertEquals(0.0, MaskMetrics.imageMiou(List.of(empty, full), List.of(empty, full)));
        // the deviation EMPTY_PAIR_IOU_ZERO reads [[0, 0], [0, 1]] and finds the 1
        assertEquals(1.0, MaskMetrics.imageMiou(List.of(empty, full), List.of(empty, full), ZERO));
        assertEquals(1, MaskMetrics.emptyPairs(sample("x", List.of("a", "b"), List.of(empty, full),
                List.of("a", "b"), List.of(empty, full))));
    }

    @Test
    void splitMeanCountsImagesWithoutMatchesAsZero() {
        // image a: identical -> 1; image b: no predictions -> 0; image c: nothing at all -> 0. mean = 1/3
        Rle g = m("0110");
        List<GcgSample> split = List.of(
                sample("a", List.of("x"), List.of(g), List.of("x"), List.of(g)),
                sample("b", List.of("x"), List.of(g), List.of(), List.of()),
                sample("c", List.of(), List.of(), List.of(), List.of()));
        assertEquals(1.0 / 3, MaskMetrics.miou(split), 1e-15);
    }

    // ------------------------------------------------------------------ recall

    @Test
    void recallNeedsIouAtLeastHalfAndTextAtLeastHalf() {
        // IoU exactly 0.5 (P = px 0-1, G = px 0-3) and exact text: 1 TP
        GcgSample s = sample("a", List.of("a dog"), List.of(m("1111")), List.of("A  Dog"), List.of(m("1100")));
        assertEquals(1, MaskMetrics.imageRecall(s, EXACT).truePositives());
        // IoU 1/3 (P = px 0, G = px 0-2): no TP
        s = sample("a", List.of("dog"), List.of(m("1110")), List.of("dog"), List.of(m("1000")));
        assertEquals(0, MaskMetrics.imageRecall(s, EXACT).truePositives());
        // text: Jaccard("dog", "a dog") = 1/2 -> TP; Jaccard("a dog", "the dog") = 1/3 -> none
        s = sample("a", List.of("dog"), List.of(m("11")), List.of("a dog"), List.of(m("11")));
        assertEquals(1, MaskMetrics.imageRecall(s, JACCARD).truePositives());
        assertEquals(0, MaskMetrics.imageRecall(s, EXACT).truePositives());
        s = sample("a", List.of("a dog"), List.of(m("11")), List.of("the dog"), List.of(m("11")));
        assertEquals(0, MaskMetrics.imageRecall(s, JACCARD).truePositives());
    }

    @Test
    void recallStopsAtTheFirstRejectedTextEvenIfLaterPairsWouldMatch() {
        // I[g][p] = [[1, 0], [0, 0.8]]: the best pair (G0,P0) has IoU 1 but texts "cat" / "dog" -> the loop ends,
        // although (G1,P1) with IoU 0.8 and equal texts would match. 0 TP of 2 labels.
        GcgSample s = sample("a", List.of("cat", "tree"), List.of(m("1100000000"), m("0000111110")),
                List.of("dog", "tree"), List.of(m("1100000000"), m("0000111100")));
        MaskMetrics.ImageRecall r = MaskMetrics.imageRecall(s, EXACT);
        assertEquals(0, r.truePositives());
        assertEquals(2, r.labels());
        assertNull(r.failure());
    }

    @Test
    void recallZeroesRowAndColumnAndContinues() {
        // G0 = px 0-3, G1 = px 4-7; P0 = px 0-3 (I: 1 with G0), P1 = px 4-6 (I: 3/4 with G1), texts equal
        // -> TP (G0,P0), zero row 0 / col 0, then TP (G1,P1) 0.75 -> 2 TP
        GcgSample s = sample("a", List.of("a", "b"), List.of(m("11110000"), m("00001111")),
                List.of("a", "b"), List.of(m("11110000"), m("00001110")));
        assertEquals(2, MaskMetrics.imageRecall(s, EXACT).truePositives());
    }

    @Test
    void morePhrasesThanMasksDoesNotFail() {
        // text matrix 1x3 is larger than the 1x1 IoU matrix: indices stay in range, 1 TP
        GcgSample s = sample("a", List.of("dog"), List.of(m("0110")),
                List.of("dog", "cat", "tree"), List.of(m("0110")));
        MaskMetrics.ImageRecall r = MaskMetrics.imageRecall(s, EXACT);
        assertEquals(1, r.truePositives());
        assertNull(r.failure());
    }

    @Test
    void moreMasksThanPhrasesFailsTheImageWhenTheExtraMaskIsMatched() {
        // G0 = px 0-3 (label "dog"), G1 = px 4-7 ("cat"); P0 = px 4-7 ("cat"), P1 = px 0-3 (no phrase)
        // I[g][p] = [[0, 1], [1, 0]]: argmax is (G0, P1); IoU 1 >= 0.5, then text_sims[0, 1] is out of the 2x1
        // text matrix -> IndexError -> the script counts 0 TP for the image, although (G1,P0) would match.
        GcgSample s = sample("a", List.of("dog", "cat"), List.of(m("11110000"), m("00001111")),
                List.of("cat"), List.of(m("00001111"), m("11110000")));
        MaskMetrics.ImageRecall r = MaskMetrics.imageRecall(s, EXACT);
        assertEquals(0, r.truePositives());
        assertEquals(2, r.labels());
        assertNotNull(r.failure());
        assertTrue(r.failure().startsWith("IndexError"), r.failure());

        // the same extra mask, but its best IoU is 1/4 < 0.5: the loop breaks before the text lookup, no failure
        // I[g][p] = [[0, 0], [1, 0]] with P1 = px 0 (IoU with G0 = 1/4): TP (G1, P0), then max 1/4 -> stop
        GcgSample ok = sample("a", List.of("dog", "cat"), List.of(m("11110000"), m("00001111")),
                List.of("cat"), List.of(m("00001111"), m("10000000")));
        MaskMetrics.ImageRecall r2 = MaskMetrics.imageRecall(ok, EXACT);
        assertEquals(1, r2.truePositives());
        assertNull(r2.failure());
    }

    @Test
    void moreGtMasksThanLabelsAlsoFails() {
        GcgSample s = sample("a", List.of(), List.of(m("11")), List.of("dog"), List.of(m("11")));
        MaskMetrics.ImageRecall r = MaskMetrics.imageRecall(s, EXACT);
        assertEquals(0, r.truePositives());
        assertNotNull(r.failure());
    }

    @Test
    void splitRecallCountsTheLabelsOfFailedImages() {
        // image a: 1 TP of 1 label; image b: fails (2 labels, 0 TP); image c: no predictions, 1 label
        // recall = 1 / (1 + 2 + 1) = 0.25
        GcgSample a = sample("a", List.of("x"), List.of(m("11")), List.of("x"), List.of(m("11")));
        GcgSample b = sample("b", List.of("dog", "cat"), List.of(m("11110000"), m("00001111")),
                List.of("cat"), List.of(m("00001111"), m("11110000")));
        GcgSample c = sample("c", List.of("y"), List.of(m("11")), List.of(), List.of());
        MaskMetrics.Recall r = MaskMetrics.recall(List.of(a, b, c), EXACT);
        assertEquals(0.25, r.value());
        assertEquals(1, r.truePositives());
        assertEquals(4, r.labels());
        assertEquals(1, r.failedImages());
        assertEquals("exact-match", r.similarity());
        assertEquals(false, r.official());
    }

    // ------------------------------------------------------------------ issue 10 §2: evaluate.py's edge cases

    @Test
    void recallCountsAnEmptyPairLikeTheScript() {
        // G0 = empty ("a ball"), G1 = px 0-1 ("a dog"); P0 = empty ("a ball"), P1 = px 0-1 ("a dog")
        // ious = compute_iou_matrix(gt, pred) = [[NaN, 0], [0, 1]]; np.argmax picks the first NaN (0, 0);
        // NaN < 0.5 is False, text_sims[0, 0] = sim("a ball", "a ball") = 1 -> TP, zero row 0 and column 0;
        // then argmax -> (1, 1) with IoU 1 and equal text -> TP: 2 of 2
        GcgSample s = sample("x", List.of("a ball", "a dog"), List.of(m("0000"), m("1100")),
                List.of("a ball", "a dog"), List.of(m("0000"), m("1100")));
        assertEquals(2, MaskMetrics.imageRecall(s, EXACT).truePositives());
        // with EMPTY_PAIR_IOU_ZERO: [[0, 0], [0, 1]] -> (1, 1) TP, then max 0 < 0.5 -> 1 of 2
        assertEquals(1, MaskMetrics.imageRecall(s, EXACT, ZERO).truePositives());
        // a NaN pair with dissimilar texts ends the loop: text_sims[0, 0] = 0 < 0.5 -> break -> 0 TP
        GcgSample other = sample("x", List.of("a ball", "a dog"), List.of(m("0000"), m("1100")),
                List.of("a cat", "a dog"), List.of(m("0000"), m("1100")));
        assertEquals(0, MaskMetrics.imageRecall(other, EXACT).truePositives());
    }

    @Test
    void masksOfDifferentSizesDoWhatNumpyDoes() {
        Rle wide = m("1100"); // 1 x 4
        Rle tall = Rle.encode(new byte[] {1, 1, 0}, 3, 1); // 3 x 1
        Rle other = Rle.encode(new byte[] {1, 1, 0, 0, 0, 0}, 2, 3); // 2 x 3
        // 1x4 and 3x1 broadcast to 3x4: a = row [1,1,0,0] on every row, b = column [1,1,0] on every column;
        // a AND b = 2 rows x 2 columns = 4, a OR b = 3*2 + 2*2 = 10 -> 0.4
        assertEquals(0.4, MaskMetrics.imageMiou(List.of(wide), List.of(tall)), 1e-15);
        // 1x4 and 2x3 cannot be broadcast: numpy raises ValueError, evaluate_mask_miou has no try -> the script stops
        assertThrows(ScriptIou.ShapeMismatch.class, () -> MaskMetrics.imageMiou(List.of(wide), List.of(other)));
        assertEquals(Double.NaN, MaskMetrics.miou(List.of(sample("x", List.of("a"), List.of(other), List.of("a"),
                List.of(wide)))));
        // recall catches the exception: 0 TP for the image, its label still counts
        MaskMetrics.ImageRecall r = MaskMetrics.imageRecall(sample("x", List.of("a"), List.of(other), List.of("a"),
                List.of(wide)), EXACT);
        assertEquals(0, r.truePositives());
        assertEquals(1, r.labels());
        assertTrue(r.failure().startsWith("ValueError"), r.failure());
    }
}
