package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Parsing GLaMM's decoded answer the way eval/gcg/infer.py does (grandf-formats §6). */
class GlammOutputParserTest {

    @Test
    void matchingPhrasesAndSegs() {
        var p = GlammOutputParser.parse("The image shows a <p> hot air balloon </p> [SEG] flying over a "
                + "<p> river </p> [SEG] .</s>");
        assertThat(p.caption()).isEqualTo("The image shows a hot air balloon flying over a river .");
        assertThat(p.phrases()).containsExactly("hot air balloon", "river");
        assertThat(p.segCount()).isEqualTo(2);
    }

    @Test
    void morePhrasesThanSegsAreKept() {
        var p = GlammOutputParser.parse("A <p> man </p> [SEG] rides a <p> horse </p> near a <p> fence </p> [SEG]"
                + "</s>");
        assertThat(p.phrases()).containsExactly("man", "horse", "fence");
        assertThat(p.segCount()).isEqualTo(2);
        assertThat(p.caption()).isEqualTo("A man rides a horse near a fence");
    }

    @Test
    void moreSegsThanPhrasesAreKept() {
        var p = GlammOutputParser.parse("Two <p> dogs </p> [SEG] [SEG] play on grass [SEG].</s>");
        assertThat(p.phrases()).containsExactly("dogs");
        assertThat(p.segCount()).isEqualTo(3);
        assertThat(p.caption()).isEqualTo("Two dogs play on grass .");
    }

    @Test
    void malformedTagsFollowTheOfficialRegexes() {
        // unclosed <p>: no phrase, tag dropped from the caption
        var unclosed = GlammOutputParser.parse("A <p> cat sits on a <p> mat </p> [SEG]</s>");
        assertThat(unclosed.phrases()).containsExactly("cat sits on a <p> mat");
        assertThat(unclosed.caption()).isEqualTo("A cat sits on a mat");
        // stray closing tag and an unknown tag
        var stray = GlammOutputParser.parse("A cat </p> on a <bbox> mat [SEG]</s>");
        assertThat(stray.phrases()).isEmpty();
        assertThat(stray.segCount()).isEqualTo(1);
        assertThat(stray.caption()).isEqualTo("A cat on a mat");
        // empty phrase
        var empty = GlammOutputParser.parse("<p></p> [SEG] sky</s>");
        assertThat(empty.phrases()).containsExactly("");
        assertThat(empty.caption()).isEqualTo("sky");
    }

    @Test
    void emptyOutput() {
        for (String raw : new String[] {"", "</s>", "   ", null}) {
            var p = GlammOutputParser.parse(raw);
            assertThat(p.caption()).isEmpty();
            assertThat(p.phrases()).isEmpty();
            assertThat(p.segCount()).isZero();
        }
    }

    @Test
    void textAfterEndOfSequenceIsIgnored() {
        var p = GlammOutputParser.parse("A <p> cat </p> [SEG].</s> junk <p> dog </p> [SEG]");
        assertThat(p.phrases()).containsExactly("cat");
        assertThat(p.segCount()).isEqualTo(1);
        assertThat(p.caption()).isEqualTo("A cat .");
    }

    @Test
    void fullDecodedSequenceIsCutAfterTheLastAssistantMarkerAndNewlinesAndQuotesGo() {
        var p = GlammOutputParser.parse("<s> A chat ... USER: The <im_start><im_end> provides an overview of the "
                + "picture.\nCould you ... ASSISTANT: 'The <p> tree </p> [SEG]\nstands   tall.'</s>");
        assertThat(p.phrases()).containsExactly("tree");
        assertThat(p.caption()).isEqualTo("The tree stands tall.");
    }
}
