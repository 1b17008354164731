package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static studio.grounding.evaluation.Masks.m;

import java.util.List;

import org.junit.jupiter.api.Test;

class GcgEvaluatorTest {

    private static GcgSample s(String id, String gtCap, String predCap, String gtMask, String predMask) {
        return new GcgSample(id, gtCap, List.of("dog"), List.of(m(gtMask)), predCap, List.of("dog"),
                List.of(m(predMask)));
    }

    @Test
    void reportCombinesAllMetricsAndSaysWhatIsNotOfficial() {
        List<GcgSample> split = List.of(
                s("1", "A dog runs on the grass.", "A dog runs in the grass.", "1111", "1111"),
                s("2", "A cat sleeps on a red sofa.", "A cat sleeps on the sofa.", "1100", "1000"));
        GcgReport r = new GcgEvaluator(new ExactMatchSimilarity()).evaluate(split);
        assertEquals(2, r.images());
        assertEquals(2, r.gtLabels());
        assertEquals(2, r.predictedMasks());
        // image 1 IoU 1, image 2 IoU 1/2 -> mIoU 0.75; recall: both IoU >= 0.5 and same text -> 1
        assertEquals(0.75, r.miou(), 1e-15);
        assertEquals(1.0, r.recall());
        assertEquals("exact-match", r.recallSimilarity());
        assertFalse(r.recallOfficial());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("not comparable with published recall")));
        // AP: both detections TP -> 1/(1+eps) at every threshold
        assertEquals(1 / (1 + Math.ulp(1.0)), r.ap50(), 1e-15);
        assertNull(r.meteor());
        assertTrue(r.meteorReason().contains("METEOR"));
        // captions are scored on PTB tokens, same as calling the scorers directly
        List<List<String>> hyps = List.of(PtbTokenizer.tokenize("A dog runs in the grass."),
                PtbTokenizer.tokenize("A cat sleeps on the sofa."));
        List<List<List<String>>> refs = List.of(List.of(PtbTokenizer.tokenize("A dog runs on the grass.")),
                List.of(PtbTokenizer.tokenize("A cat sleeps on a red sofa.")));
        assertEquals(Bleu.corpus(hyps, refs)[3], r.bleu4(), 1e-15);
        assertEquals(CiderD.compute(hyps, refs).score(), r.cider(), 1e-15);
        assertEquals(RougeL.mean(hyps, refs), r.rougeL(), 1e-15);
        assertEquals(2, r.perImage().size());
        assertEquals(0.5, r.perImage().get(1).miou(), 1e-15);
        String summary = r.summary();
        assertTrue(summary.contains("mIoU 75.0"), summary);
        assertTrue(summary.contains("recall 100.0 [text similarity: exact-match, NOT official"), summary);
        assertTrue(summary.contains("METEOR not computed: "), summary);
    }

    @Test
    void notesForSplitSpecificDeviations() {
        GcgSample emptyPair = new GcgSample("1", "x", List.of("a"), List.of(m("00")), "x", List.of("a"),
                List.of(m("00")));
        GcgReport r = new GcgEvaluator(new TokenJaccardSimilarity()).evaluate(List.of(emptyPair));
        // one (empty) GT, one detection with IoU 0 -> FP: rc [0], pr [0] -> AP 0 (not -1: there is a GT)
        assertEquals(0.0, r.ap50());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("NaN")));
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("one-image split")));
    }

    @Test
    void rejectsEmptyAndDuplicateSplits() {
        GcgEvaluator e = new GcgEvaluator(new ExactMatchSimilarity());
        assertThrows(IllegalArgumentException.class, () -> e.evaluate(List.of()));
        GcgSample a = s("1", "a", "a", "1", "1");
        assertThrows(IllegalArgumentException.class, () -> e.evaluate(List.of(a, a)));
    }
}
