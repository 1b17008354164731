package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.util.List;

import org.junit.jupiter.api.Test;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class GlammOutputTextTest {

    static final MaskRle A = new MaskRle(H, W, MAN);
    static final MaskRle B = new MaskRle(H, W, HORSE);
    static final MaskRle C = new MaskRle(H, W, FENCE);

    @Test
    void matchingCounts() {
        GlammOutputText t = GlammOutputText.parse(
                "The image shows a <p> hot air balloon </p> [SEG] flying over a <p> river </p> [SEG] .</s>");
        assertThat(t.caption()).isEqualTo("The image shows a hot air balloon flying over a river .");
        assertThat(t.segTokens()).isEqualTo(2);
        assertThat(t.warnings()).isEmpty();
        assertThat(t.phrases()).containsExactly(
                new GlammOutputText.Phrase("hot air balloon", 18, 33, 0),
                new GlammOutputText.Phrase("river", 48, 53, 1));
        GroundedCaption g = t.toGroundedCaption(List.of(A, B));
        assertThat(g.problems()).isEmpty();
        assertThat(g.phrases()).extracting(PhraseSpan::masks).containsExactly(List.of(A), List.of(B));
        assertThat(g.unlinkedMasks()).isEmpty();
    }

    @Test
    void moreSegsThanPhrasesKeepsTheExtraMaskUnlinked() {
        GlammOutputText t = GlammOutputText.parse("A <p> dog </p> [SEG] [SEG] on grass.");
        assertThat(t.segTokens()).isEqualTo(2);
        assertThat(t.warnings()).containsExactly("1 phrase(s) but 2 [SEG] token(s)");
        GroundedCaption g = t.toGroundedCaption(List.of(A, B));
        assertThat(g.phrases()).singleElement().extracting(PhraseSpan::masks).isEqualTo(List.of(A));
        assertThat(g.unlinkedMasks()).containsExactly(B);
    }

    @Test
    void morePhrasesThanSegsLeavesAPhraseWithoutMask() {
        GlammOutputText t = GlammOutputText.parse("A <p> dog </p> [SEG] chases a <p> cat </p> .");
        assertThat(t.phrases()).extracting(GlammOutputText.Phrase::maskIndex).containsExactly(0, -1);
        GroundedCaption g = t.toGroundedCaption(List.of(A));
        assertThat(g.phrases()).extracting(p -> p.masks().size()).containsExactly(1, 0);
    }

    @Test
    void malformedTagsAreWarnedNotThrown() {
        GlammOutputText t = GlammOutputText.parse("A <p> dog [SEG] near a <p> tree </p> [SEG] and </p> rocks");
        assertThat(t.warnings()).contains("malformed phrase tags: <p> at 23 inside an open phrase",
                "malformed phrase tags: </p> at 47 closes no phrase", "1 phrase(s) but 2 [SEG] token(s)");
        assertThat(t.caption()).isEqualTo("A dog near a tree and rocks");
        // "<p> dog [SEG] near a <p> tree </p>" is one non-greedy match, cleaned
        assertThat(t.phrases()).extracting(GlammOutputText.Phrase::text).containsExactly("dog near a tree");
        assertThat(t.warnings()).anySatisfy(w -> assertThat(w).contains("contains tags"));

        GlammOutputText unclosed = GlammOutputText.parse("A <p> dog [SEG]");
        assertThat(unclosed.phrases()).isEmpty();
        assertThat(unclosed.caption()).isEqualTo("A dog");
        assertThat(unclosed.warnings()).contains("malformed phrase tags: the last <p> is never closed", "0 phrase(s) but 1 [SEG] token(s)");
        assertThat(unclosed.toGroundedCaption(List.of(A)).unlinkedMasks()).containsExactly(A);
    }

    @Test
    void emptyText() {
        for (String s : new String[] {"", "   ", null, "</s>"}) {
            GlammOutputText t = GlammOutputText.parse(s);
            assertThat(t.caption()).isEmpty();
            assertThat(t.phrases()).isEmpty();
            assertThat(t.toGroundedCaption(List.of()).phrases()).isEmpty();
        }
        assertThat(GlammOutputText.parse("").warnings()).containsExactly("empty model output");
    }

    @Test
    void textAfterEndOfSequenceIsDroppedAndTheAssistantPrefixIgnored() {
        GlammOutputText t = GlammOutputText.parse(
                "USER: describe ASSISTANT: A <p> cat </p> [SEG] sleeps.</s> <p> ghost </p> [SEG]");
        assertThat(t.caption()).isEqualTo("A cat sleeps.");
        assertThat(t.phrases()).extracting(GlammOutputText.Phrase::text).containsExactly("cat");
        assertThat(t.segTokens()).isEqualTo(1);
        assertThat(t.warnings()).singleElement().asString().startsWith("text after </s> ignored");
    }

    @Test
    void repeatedPhraseTakesTheNextOccurrenceAndUnlocatableKeepsItsMaskUnlinked() {
        GlammOutputText t = GlammOutputText.parse("<p> a dog </p> [SEG] and <p> a dog </p> [SEG] and <p> a dog </p> [SEG]");
        // third "a dog" is located too: the caption has three occurrences
        assertThat(t.phrases()).extracting(GlammOutputText.Phrase::start).containsExactly(0, 10, 20);
        GlammOutputText odd = GlammOutputText.parse("'<p> x </p> [SEG]'");
        assertThat(odd.caption()).isEqualTo("x");
        GroundedCaption g = GlammOutputText.parse("A <p> cat </p> [SEG] <p> <img> </p> [SEG]").toGroundedCaption(List.of(A, C));
        assertThat(g.unlinkedMasks()).containsExactly(C);
    }
}
