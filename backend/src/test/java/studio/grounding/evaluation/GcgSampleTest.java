package studio.grounding.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.mask.Rle;

class GcgSampleTest {

    private static MaskRle mask(String bits) {
        Rle r = Masks.m(bits);
        return new MaskRle(r.height(), r.width(), r.toCompressedString());
    }

    @Test
    void groundTruthGetsOneLabelPerMaskAndDropsWhatCocoCannotExpress() {
        MaskRle a1 = mask("1100");
        MaskRle a2 = mask("0011");
        MaskRle b = mask("0110");
        GroundedCaption gt = new GroundedCaption("two dogs and a sky", List.of(
                new PhraseSpan(0, 8, "two dogs", List.of(a1, a2)),
                new PhraseSpan(15, 18, "sky", List.of())), List.of(b));
        GroundedCaption pred = new GroundedCaption("a dog and a cat", List.of(
                new PhraseSpan(0, 5, "a dog", List.of()),
                new PhraseSpan(10, 15, "a cat", List.of(b))), List.of(a1));
        GcgSample s = GcgSample.of("img", gt, pred);
        assertEquals(List.of("two dogs", "two dogs"), s.gtLabels());
        assertEquals(List.of(Masks.m("1100"), Masks.m("0011")), s.gtMasks());
        // prediction: linked pairs first, then the maskless phrase, then the unlinked mask
        assertEquals(List.of("a cat", "a dog"), s.predPhrases());
        assertEquals(List.of(Masks.m("0110"), Masks.m("1100")), s.predMasks());
        assertEquals("two dogs and a sky", s.gtCaption());
        assertEquals("a dog and a cat", s.predCaption());
    }

    @Test
    void masksOfDifferentSizesAreKeptForTheMetricsToScoreAsTheScriptDoes() {
        GcgSample s = Masks.sample("x", List.of("a"), List.of(Masks.m("11")), List.of("a"), List.of(Masks.m("111")));
        assertEquals(2, s.gtMasks().getFirst().width());
        assertEquals(3, s.predMasks().getFirst().width());
    }
}
