package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.evaluation.ExactMatchSimilarity;
import studio.grounding.evaluation.GcgEvaluator;
import studio.grounding.evaluation.GcgReport;
import studio.grounding.evaluation.GcgSample;
import studio.grounding.mask.Rle;

/**
 * Issue 10 §2: a GLaMM prediction file lists phrases and masks in an order evaluate.py scores as is (phrases out of
 * caption order, a phrase its caption lacks). The import keeps that listing beside the caption-ordered phrases, and
 * evaluation scores the listing. Masks are 1 x 8.
 */
class PhraseListingTest {

    @TempDir
    Path dir;

    static final MaskRle M = mask("11000000");
    static final MaskRle H = mask("00001111");
    static final MaskRle X = mask("00110000");
    static final MaskRle T = mask("11000000");
    static final MaskRle Q = mask("00110000");
    static final MaskRle BD = mask("00000011");

    @Test
    void theListedOrderSurvivesTheImportAndIsWhatIsScored() throws Exception {
        Fixtures.write(dir, "4.json", prediction("4", "a man rides a horse", "\"a horse\", \"a man\"", X, M));
        Fixtures.write(dir, "5.json", prediction("5", "a tree and a bird", "\"a tree\", \"a kite\", \"a bird\"",
                T, Q, BD));
        CollectingSink sink = new CollectingSink();
        new PredictionReader().read(dir, sink);
        assertThat(sink.problems()).isEmpty();
        SourceRecord four = sink.records().get(0);
        SourceRecord five = sink.records().get(1);
        // the caption is in caption order; the unlocatable "a kite" has its mask unlinked
        assertThat(four.caption().phrases()).extracting(PhraseSpan::text).containsExactly("a man", "a horse");
        assertThat(five.caption().unlinkedMasks()).containsExactly(Q);
        // the listing is the file's
        assertThat(four.listing().phrases()).containsExactly("a horse", "a man");
        assertThat(four.listing().masks(four.caption())).containsExactly(X, M);
        assertThat(five.listing().phrases()).containsExactly("a tree", "a kite", "a bird");
        assertThat(five.listing().masks(five.caption())).containsExactly(T, Q, BD);

        GroundedCaption gt4 = new GroundedCaption("a man rides a horse", List.of(
                new PhraseSpan(0, 5, "a man", List.of(M)), new PhraseSpan(12, 19, "a horse", List.of(H))));
        GroundedCaption gt5 = new GroundedCaption("a tree and a bird", List.of(
                new PhraseSpan(0, 6, "a tree", List.of(T)), new PhraseSpan(11, 17, "a bird", List.of(BD))));
        GcgEvaluator evaluator = new GcgEvaluator(new ExactMatchSimilarity());
        GcgReport listed = evaluator.evaluate(List.of(
                GcgSample.of("4", gt4, four.caption(), List.of(), four.listing()),
                GcgSample.of("5", gt5, five.caption(), List.of(), five.listing())));
        // AP50 as evaluate.py: detections "4" F T | "5" T F T against 4 GT
        //  tp 0 1 2 2 3, fp 1 1 1 2 2 -> pr 0 .5 2/3 .5 .6 -> monotone 2/3 2/3 2/3 .6 .6; rc 0 .25 .5 .5 .75
        //  thresholds 0..0.5 -> 2/3 (51), 0.51..0.75 -> .6 (25), beyond 0 -> (34 + 15) / 101
        assertThat(listed.ap50()).isCloseTo(49.0 / 101, within(1e-12));
        // recall: "4" gt x pred [[0, 1], [0, 0]] -> (0,1) "a man"/"a man" 1 TP; "5" (0,0) and (1,2) -> 3 of 4
        assertThat(listed.recall()).isCloseTo(0.75, within(1e-15));

        // derived from the caption alone (what was scored before): "4" T F | "5" T T F
        //  tp 1 1 2 3 3, fp 0 1 1 1 2 -> pr 1 .5 2/3 .75 .6 -> monotone 1 .75 .75 .75 .6; rc .25 .25 .5 .75 .75
        //  0..0.25 -> 1 (26), 0.26..0.75 -> .75 (50) -> 63.5 / 101
        GcgReport derived = evaluator.evaluate(List.of(GcgSample.of("4", gt4, four.caption()),
                GcgSample.of("5", gt5, five.caption())));
        assertThat(derived.ap50()).isCloseTo(63.5 / 101, within(1e-12));
    }

    @Test
    void aListingTheCaptionSaysByItselfIsNotKept() throws Exception {
        Fixtures.write(dir, "6.json", prediction("6", "a man rides a horse", "\"a man\", \"a horse\"", M, H));
        Fixtures.write(dir, "7.json", prediction("7", "a man rides a horse", "\"a man\", \"a horse\"", M));
        CollectingSink sink = new CollectingSink();
        new PredictionReader().read(dir, sink);
        assertThat(sink.records().get(0).listing()).isNull(); // one phrase per mask, caption order
        assertThat(sink.records().get(1).listing().phrases()).containsExactly("a man", "a horse"); // a maskless one
    }

    static String prediction(String id, String caption, String phrases, MaskRle... masks) {
        StringBuilder m = new StringBuilder();
        for (MaskRle r : masks) {
            m.append(m.isEmpty() ? "" : ", ").append("{\"size\": [1, 8], \"counts\": ").append(Fixtures.quote(r.counts()))
                    .append("}");
        }
        return "{\"image_id\": " + Fixtures.quote(id) + ", \"caption\": " + Fixtures.quote(caption)
                + ", \"phrases\": [" + phrases + "], \"pred_masks\": [" + m + "]}";
    }

    static MaskRle mask(String bits) {
        byte[] px = new byte[bits.length()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (bits.charAt(i) == '1' ? 1 : 0);
        }
        return new MaskRle(1, px.length, Rle.encode(px, 1, px.length).toCompressedString());
    }
}
