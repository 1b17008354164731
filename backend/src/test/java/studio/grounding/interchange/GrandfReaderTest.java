package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class GrandfReaderTest {

    @TempDir
    Path dir;

    private CollectingSink read(String content) throws Exception {
        CollectingSink sink = new CollectingSink();
        new GrandfReader().read(write(dir, "GranDf_HA_GCG_train.json", content), sink);
        return sink;
    }

    @Test
    void readsRecordsWithSpansMasksAndNormalisedCaption() throws Exception {
        CollectingSink sink = read(grandfGood());
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.records()).hasSize(2);
        SourceRecord r = sink.records().get(0);
        assertThat(r.index()).isZero();
        assertThat(r.fileName()).isEqualTo("sa_1.jpg");
        assertThat(r.imageId()).isEqualTo("sa_1");
        assertThat(r.height()).isEqualTo(H);
        assertThat(r.width()).isEqualTo(W);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.caption().caption()).isEqualTo("A man rides a horse near a fence.");
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text).containsExactly("A man", "a horse", "a fence");
        PhraseSpan horse = r.caption().phrases().get(1);
        assertThat(horse.start()).isEqualTo(12);
        assertThat(horse.end()).isEqualTo(19);
        assertThat(horse.masks()).containsExactly(new MaskRle(H, W, HORSE), new MaskRle(H, W, HORSE2));
        assertThat(r.caption().problems()).isEmpty();

        SourceRecord quoted = sink.records().get(1);
        assertThat(quoted.index()).isEqualTo(1);
        assertThat(quoted.caption().caption()).isEqualTo("A horse stands.");
        assertThat(quoted.caption().phrases().get(0).start()).isZero();
    }

    @Test
    void spanWrittenAgainstTheRawCaptionIsShiftedWithAWarning() throws Exception {
        CollectingSink sink = read("[" + grandfRecord("sa_3", "\"A dog runs.\"", grounding("A dog", 1, 6, MAN)) + "]");
        assertThat(sink.problems()).isEmpty();
        SourceRecord r = sink.records().get(0);
        assertThat(r.caption().phrases().get(0)).extracting(PhraseSpan::start, PhraseSpan::end).containsExactly(0, 5);
        assertThat(r.warnings()).singleElement().asString().contains("shifted by 1");
    }

    @Test
    void spansArePythonCodePointOffsets() throws Exception {
        // the emoji is one code point (two UTF-16 units): "a cat" is [4, 9) in Python, [5, 10) in Java
        CollectingSink sink = read("[" + grandfRecord("sa_4", "\uD83D\uDE00 I a cat", grounding("a cat", 4, 9, MAN)) + "]");
        assertThat(sink.problems()).isEmpty();
        PhraseSpan p = sink.records().get(0).caption().phrases().get(0);
        assertThat(p.start()).isEqualTo(5);
        assertThat(p.text()).isEqualTo("a cat");
    }

    @Test
    void badRecordsBecomeProblemsAndTheGoodOnesAroundThemAreDelivered() throws Exception {
        String content = "[\n"
                + grandfRecord("good_0", "A man.", grounding("A man", 0, 5, MAN)) + ",\n"
                + grandfRecord("out_of_range", "A man.", grounding("A man", 0, 50, MAN)) + ",\n"
                + grandfRecord("mismatch", "A man.", grounding("A man", 1, 6, MAN)) + ",\n"
                + grandfRecord("size", "A man.", "\"A man\": {\"token_positives\": [0, 5], \"rle_masks\": [{\"size\": [10, 10], \"counts\": \"T3\"}]}") + ",\n"
                + grandfRecord("malformed", "A man.", grounding("A man", 0, 5, "0T3 ~~")) + ",\n"
                + "{\"file_name\": \"missing.jpg\", \"groundings\": {}},\n"
                + grandfRecord("wrong_type", "A man.", "\"A man\": {\"token_positives\": \"0-5\", \"rle_masks\": []}") + ",\n"
                + "42,\n"
                + grandfRecord("good_8", "A horse.", grounding("A horse", 0, 7, HORSE)) + "\n]";
        CollectingSink sink = read(content);

        assertThat(sink.records()).extracting(SourceRecord::imageId).containsExactly("good_0", "good_8");
        assertThat(sink.records()).extracting(SourceRecord::index).containsExactly(0L, 8L);
        assertThat(sink.problems()).allSatisfy(p -> {
            assertThat(p.file()).isEqualTo("GranDf_HA_GCG_train.json");
            assertThat(p.isSyntaxError()).isFalse();
        });
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "groundings.A man.token_positives"),
                org.assertj.core.groups.Tuple.tuple(2L, "groundings.A man.token_positives"),
                org.assertj.core.groups.Tuple.tuple(3L, "groundings.A man.rle_masks[0].size"),
                org.assertj.core.groups.Tuple.tuple(4L, "groundings.A man.rle_masks[0].counts"),
                org.assertj.core.groups.Tuple.tuple(5L, "caption"),
                org.assertj.core.groups.Tuple.tuple(6L, "groundings.A man.token_positives"),
                org.assertj.core.groups.Tuple.tuple(7L, "$"));
        List<ImportProblem> p = sink.problems();
        assertThat(p.get(0).reason()).contains("outside the caption of length 6");
        assertThat(p.get(1).reason()).contains("\" man.\"").contains("not the phrase \"A man\"");
        assertThat(p.get(2).reason()).contains("mask size [10, 10] differs from the image size");
        assertThat(p.get(3).reason()).contains("not a valid compressed RLE");
        assertThat(p.get(4).reason()).isEqualTo("missing");
        assertThat(p.get(5).reason()).contains("expected [start, end], found a string");
        assertThat(p.get(6).reason()).contains("expected an object, found the number 42");
    }

    @Test
    void masksOfARecordMustShareOneSizeWhenTheRecordHasNone() throws Exception {
        String rec = "{\"file_name\": \"x.jpg\", \"caption\": \"A man and a dog\", \"groundings\": {"
                + grounding("A man", 0, 5, MAN) + ", \"a dog\": {\"token_positives\": [10, 15], \"rle_masks\": "
                + "[{\"size\": [10, 10], \"counts\": \"T3\"}]}}}";
        CollectingSink sink = read("[" + rec + "]");
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("groundings.a dog.rle_masks[0].size");
            assertThat(p.reason()).contains("other masks [15, 20]");
        });
    }

    @Test
    void truncatedFileStopsAtThePositionAndKeepsEarlierRecords() throws Exception {
        String good = grandfGood();
        String truncated = good.substring(0, good.indexOf("sa_2") + 40);
        CollectingSink sink = read(truncated);
        assertThat(sink.records()).extracting(SourceRecord::imageId).containsExactly("sa_1");
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.isSyntaxError()).isTrue();
            assertThat(p.recordIndex()).isEqualTo(1);
            assertThat(p.position().line()).isEqualTo(3);
            assertThat(p.position().byteOffset()).isEqualTo(truncated.length());
            assertThat(p.reason()).startsWith("invalid JSON");
        });
    }

    @Test
    void syntaxErrorInTheMiddleIsReportedWithLineAndColumn() throws Exception {
        String content = "[\n" + grandfRecord("sa_1", "A man.", grounding("A man", 0, 5, MAN)) + ",\n{\"file_name\": x}\n]";
        CollectingSink sink = read(content);
        assertThat(sink.records()).hasSize(1);
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.position().line()).isEqualTo(3);
            assertThat(p.position().column()).isEqualTo(15);
            assertThat(p.recordIndex()).isEqualTo(1);
        });
    }

    @Test
    void captionIsNormalisedExactlyLikePythonStripQuotesThenStrip() {
        assertThat(CaptionText.loaderStrip("\"A horse stands.\" ").text()).isEqualTo("A horse stands.\"");
        assertThat(CaptionText.loaderStrip(" \"A b\"").text()).isEqualTo("\"A b");
        assertThat(CaptionText.loaderStrip("\"\" \u00a0A b\n\"").text()).isEqualTo("A b");
        assertThat(CaptionText.loaderStrip("\"\" \u00a0A b\n\"").leadingCodePoints()).isEqualTo(4);
    }

    @Test
    void repeatedPhraseKeyIsAProblemOfItsRecordOnly() throws Exception {
        String dup = grandfRecord("dup", "A man and A man", grounding("A man", 0, 5, MAN) + ", " + grounding("A man", 10, 15, HORSE));
        CollectingSink sink = read("[" + dup + ", " + grandfRecord("ok", "A man.", grounding("A man", 0, 5, MAN)) + "]");
        assertThat(sink.records()).extracting(SourceRecord::imageId, SourceRecord::index).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ok", 1L));
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.recordIndex()).isZero();
            assertThat(p.field()).isEqualTo("groundings.A man");
            assertThat(p.reason()).contains("more than once");
            assertThat(p.isSyntaxError()).isFalse();
        });
    }

    @Test
    void notAnArrayIsOneProblem() throws Exception {
        CollectingSink sink = read("{\"images\": []}");
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.recordIndex()).isEqualTo(-1);
            assertThat(p.reason()).contains("expected a JSON array");
        });
    }
}
