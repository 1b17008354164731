package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CaptionMetricsTest {

    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private static List<String> t(String s) {
        return s.isEmpty() ? List.of() : Arrays.asList(s.split(" "));
    }

    // ------------------------------------------------------------------ BLEU

    @Test
    void bleuOfOneSentencePairByHand() {
        // hyp "a dog runs on the grass", ref "a dog runs in the grass" (6 tokens each)
        // 1-grams: 5 of 6 match (not "on"); 2-grams: "a dog", "dog runs", "the grass" = 3 of 5;
        // 3-grams: "a dog runs" = 1 of 4; 4-grams: 0 of 3
        // ratio = (6 + tiny) / (6 + small) < 1, so pycocoevalcap applies a brevity penalty even for equal lengths:
        // bp = exp(1 - 1/ratio) ~ 1 - 1.7e-10
        double p1 = (5 + TINY) / (6 + SMALL);
        double p2 = p1 * (3 + TINY) / (5 + SMALL);
        double p3 = p2 * (1 + TINY) / (4 + SMALL);
        double p4 = p3 * (0 + TINY) / (3 + SMALL);
        double bp = Math.exp(1 - 1 / ((6 + TINY) / (6 + SMALL)));
        double[] expected = {p1 * bp, Math.sqrt(p2) * bp, Math.pow(p3, 1.0 / 3) * bp, Math.pow(p4, 0.25) * bp};
        double[] bleu = Bleu.corpus(List.of(t("a dog runs on the grass")),
                List.of(List.of(t("a dog runs in the grass"))));
        assertArrayEquals(expected, bleu, 1e-15);
        // for orientation: 5/6, sqrt(1/2), cbrt(1/8) = 1/2, and a BLEU-4 of ~8e-5 (tiny instead of a zero count)
        assertEquals(5.0 / 6, bleu[0], 1e-9);
        assertEquals(Math.sqrt(0.5), bleu[1], 1e-9);
        assertEquals(0.5, bleu[2], 1e-9);
        assertTrue(bleu[3] > 7e-5 && bleu[3] < 9e-5, "bleu4 " + bleu[3]);
    }

    @Test
    void bleuIsCorpusLevelWithClosestReferenceLengthAndClipping() {
        // image 1: hyp "the the the" vs ref "the cat": 1-gram "the" clipped to 1 of 3; no 2/3/4-gram matches
        //          (guess 2, 1, 0); testlen 3, reflen 2
        // image 2: hyp "a cat" vs refs "a cat sat" (3) and "a cat" (2)... one ref per image in GCG, but the scorer
        //          takes several: closest length to 2 is 2 -> reflen 2; matches 2 of 2, 1 of 1, guess 0, 0
        // totals: correct [3, 1, 0, 0], guess [5, 3, 1, 0], testlen 5, reflen 4 -> ratio > 1, no brevity penalty
        double p1 = (3 + TINY) / (5 + SMALL);
        double p2 = p1 * (1 + TINY) / (3 + SMALL);
        double p3 = p2 * (0 + TINY) / (1 + SMALL);
        double p4 = p3 * (0 + TINY) / (0 + SMALL);
        double[] bleu = Bleu.corpus(List.of(t("the the the"), t("a cat")),
                List.of(List.of(t("the cat")), List.of(t("a cat sat"), t("a cat"))));
        assertArrayEquals(new double[] {p1, Math.sqrt(p2), Math.cbrt(p3), Math.pow(p4, 0.25)}, bleu, 1e-15);
        // BLEU-1 is 3/5 = 0.6, not the mean of the sentence values (1/3 and 1)
        assertEquals(0.6, bleu[0], 1e-9);
    }

    @Test
    void closestReferenceLengthPrefersTheShorterOnTies() {
        // hyp of 3 tokens, refs of 2 and 4 tokens: both at distance 1, min((1, 2), (1, 4)) -> 2 -> no penalty.
        // With 4 the ratio 3/4 would give bp = exp(1 - 4/3) ~ 0.7165.
        double[] bleu = Bleu.corpus(List.of(t("x y z")), List.of(List.of(t("x y"), t("x y z w"))));
        double p1 = (3 + TINY) / (3 + SMALL); // all 3 unigrams match the max counts over both refs
        assertEquals(p1, bleu[0], 1e-15);
    }

    // ------------------------------------------------------------------ CIDEr-D

    @Test
    void ciderByHand() {
        // 2 images -> ref_len = log 2; every reference n-gram has df 1 -> idf = log 2 - log 1 = log 2 = l;
        // hypothesis n-grams absent from the references have df 0 -> log(max(1, 0)) = 0 -> weight l as well.
        // image 1: hyp = ref = "a b": n=1 vectors (l, l), cosine 1; n=2 ("a b") cosine 1; n=3,4 empty -> 0;
        //          bigram lengths 1 and 1 -> penalty 1. score = mean(1, 1, 0, 0) * 10 = 5
        // image 2: hyp "c d d" vs ref "c d":
        //   n=1: hyp c: l, d: 2l (|h| = sqrt5 l); ref c: l, d: l (|r| = sqrt2 l)
        //        clipped dot = min(l, l) l + min(2l, l) l = 2 l^2 -> 2 / sqrt10
        //   n=2: hyp "c d": l, "d d": l (|h| = sqrt2 l); ref "c d": l (|r| = l) -> l^2 / (sqrt2 l^2) = 1/sqrt2
        //   n=3: hyp "c d d" has no counterpart -> 0; n=4: none
        //   bigram lengths 2 and 1 -> delta 1 -> penalty e^(-1/72)
        //   score = (2/sqrt10 + 1/sqrt2) / 4 * e^(-1/72) * 10
        double s2 = (2 / Math.sqrt(10) + 1 / Math.sqrt(2)) / 4 * Math.exp(-1.0 / 72) * 10;
        CiderD.Result r = CiderD.compute(List.of(t("a b"), t("c d d")),
                List.of(List.of(t("a b")), List.of(t("c d"))));
        assertEquals(5.0, r.perImage().get(0), 1e-12);
        assertEquals(s2, r.perImage().get(1), 1e-12);
        assertEquals((5.0 + s2) / 2, r.score(), 1e-12);
    }

    @Test
    void ciderDependsOnTheSplitThroughDocumentFrequencies() {
        // image 1 alone: idf = log 1 - log 1 = 0 -> every vector is 0 -> score 0
        assertEquals(0.0, CiderD.compute(List.of(t("a b")), List.of(List.of(t("a b")))).score());
        // "a" now appears in both references: df 2 -> idf log 2 - log 2 = 0, so only "b" and "a b" carry weight
        // image 1: n=1 hyp/ref (0, l) -> cosine 1; n=2 "a b": 1 -> 5 as before; image 2 hyp "a" vs ref "a c":
        //   n=1: hyp a: 0 -> |h| = 0, dot 0 -> 0; n=2: hyp none -> 0 => 0, with penalty irrelevant
        CiderD.Result r = CiderD.compute(List.of(t("a b"), t("a")), List.of(List.of(t("a b")), List.of(t("a c"))));
        assertEquals(5.0, r.perImage().get(0), 1e-12);
        assertEquals(0.0, r.perImage().get(1), 1e-12);
        // no reference token at all: pycocoevalcap fails (max of an empty dict); NaN here
        assertTrue(Double.isNaN(CiderD.compute(List.of(t("a")), List.of(List.of(t("")))).score()));
    }

    // ------------------------------------------------------------------ ROUGE-L

    @Test
    void rougeLByHand() {
        // LCS("a dog runs on the grass", "a dog runs in the grass") = 5 -> P = R = 5/6 -> F = 5/6
        assertEquals(5.0 / 6, RougeL.score(t("a dog runs on the grass"), List.of(t("a dog runs in the grass"))),
                1e-15);
        // "a dog" vs "a big dog runs": LCS 2, P = 1, R = 1/2, F = 2.44 * 0.5 / (0.5 + 1.44) = 1.22 / 1.94
        assertEquals(1.22 / 1.94, RougeL.score(t("a dog"), List.of(t("a big dog runs"))), 1e-15);
        assertEquals(0.0, RougeL.score(t(""), List.of(t("a"))));
        // Python's "".split(" ") is [""]: two empty captions share the empty token -> P = R = 1
        assertEquals(1.0, RougeL.score(t(""), List.of(t(""))), 1e-15);
        assertEquals((5.0 / 6 + 0) / 2, RougeL.mean(List.of(t("a dog runs on the grass"), t("x")),
                List.of(List.of(t("a dog runs in the grass")), List.of(t("y")))), 1e-15);
    }

    // ------------------------------------------------------------------ tokenizer

    @Test
    void ptbTokenizerLikePycocoevalcap() {
        assertEquals(List.of("a", "man", "'s", "dog", "brown", "runs"),
                PtbTokenizer.tokenize("A man's dog, (brown) runs."));
        assertEquals(List.of("do", "n't", "stop"), PtbTokenizer.tokenize("Don't stop!"));
        assertEquals(List.of("the", "u.s.", "flag"), PtbTokenizer.tokenize("The U.S. flag"));
        assertEquals(List.of("a", "well-known", "3.5", "km", "road", "1,000", "cars"),
                PtbTokenizer.tokenize("A well-known 3.5 km road; 1,000 cars"));
        assertEquals(List.of("the", "big", "cat", "sat", "here"),
                PtbTokenizer.tokenize("The \"big\" cat ... sat -- here;"));
        assertEquals(List.of("mr.", "smith", "'s", "hat", "is", "red"),
                PtbTokenizer.tokenize("Mr. Smith\u2019s hat\nis red."));
        assertEquals(List.of("-LSB-", "x", "-RSB-", "&", "y"), PtbTokenizer.tokenize("[x] & y"));
        assertEquals(List.of("can", "not", "go"), PtbTokenizer.tokenize("Cannot go"));
        assertEquals(List.of("the", "3rd", "2x4", "board", "10"), PtbTokenizer.tokenize("The 3rd 2x4 board: 10."));
        assertEquals(List.of("a", "2-year-old", "child"), PtbTokenizer.tokenize("A 2-year-old child."));
        // a capital initial keeps its period, a lower-case sentence-final letter does not
        assertEquals(List.of("j.", "smith", "has", "a"), PtbTokenizer.tokenize("J. Smith has a."));
        assertEquals(List.of(), PtbTokenizer.tokenize("  ... !"));
        assertEquals("a person is holding a cup", PtbTokenizer.tokenizeToString("A person is holding a cup."));
    }
}
