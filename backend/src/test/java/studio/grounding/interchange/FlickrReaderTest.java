package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static studio.grounding.interchange.Fixtures.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class FlickrReaderTest {

    @TempDir
    Path dir;

    static String image(long id, String caption, int h, int w) {
        return "{\"id\": " + id + ", \"file_name\": \"" + id + ".jpg\", \"height\": " + h + ", \"width\": " + w
                + ", \"caption\": " + quote(caption) + "}";
    }

    static String ann(int id, long imageId, int s, int e, String counts) {
        return "{\"id\": " + id + ", \"image_id\": " + imageId + ", \"bbox\": [1, 2, 5, 12], \"area\": 60, "
                + "\"tokens_positive\": [[" + s + ", " + e + "]], \"sam_mask\": " + mask(counts) + ", \"ignore\": 0}";
    }

    /** Annotations first, interleaved between images, images last: keys and order must not matter. */
    static String flickr() {
        return "{\"annotations\": [\n"
                + ann(1, 1000092795, 0, 14, MAN) + ",\n"
                + ann(2, 36979, 0, 5, HORSE) + ",\n"
                + ann(3, 1000092795, 22, 33, HORSE) + ",\n"
                + ann(4, 1000092795, 0, 14, HORSE2) + "\n"
                + "], \"info\": {\"note\": \"skipped\"},\n \"images\": [\n"
                + image(1000092795, "Two young guys é with shaggy hair look at their hands", H, W) + ",\n"
                + image(36979, "A dog", H, W) + "\n]}";
    }

    private CollectingSink read(String content) throws Exception {
        CollectingSink sink = new CollectingSink();
        new FlickrReader().read(write(dir, "flickr_mergedGT_GCG_val.json", content), sink);
        return sink;
    }

    @Test
    void oneRecordPerImageWithMasksGroupedBySpanWhateverTheOrder() throws Exception {
        CollectingSink sink = read(flickr());
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.records()).hasSize(2);
        SourceRecord r = sink.records().get(0);
        assertThat(r.imageId()).isEqualTo("1000092795");
        assertThat(r.fileName()).isEqualTo("1000092795.jpg");
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text, p -> p.masks().size())
                .containsExactly(tuple("Two young guys", 2), tuple("shaggy hair", 1));
        assertThat(r.caption().phrases().get(0).masks())
                .containsExactly(new MaskRle(H, W, MAN), new MaskRle(H, W, HORSE2));
        // both images are smaller than 32 px, the second caption has 2 words: imported, flagged
        assertThat(r.warnings()).singleElement().asString().contains("shorter side is 15 px");
        assertThat(sink.records().get(1).warnings()).anySatisfy(w -> assertThat(w).contains("fewer than 3 words"));
    }

    @Test
    void badAnnotationsRejectTheirImageOnlyAndNameTheAnnotation() throws Exception {
        String content = "{\"images\": [" + image(1, "A man rides a horse", H, W) + ", " + image(2, "A man rides a horse", H, W)
                + ", " + image(3, "A man rides a horse", H, W) + ", {\"id\": 4, \"file_name\": \"4.jpg\", \"height\": \"15\", \"width\": 20, \"caption\": \"x y z\"}"
                + "], \"annotations\": ["
                + ann(1, 1, 0, 5, MAN) + ", " + ann(2, 2, 0, 99, MAN) + ", " + ann(3, 3, 0, 5, "bad counts")
                + ", " + ann(4, 77, 0, 5, MAN) + "]}";
        CollectingSink sink = read(content);
        assertThat(sink.records()).extracting(SourceRecord::imageId).containsExactly("1");
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                tuple(-1L, "annotations[3].image_id"),
                tuple(1L, "annotations[1].tokens_positive[0]"),
                tuple(2L, "annotations[2].sam_mask.counts"),
                tuple(3L, "height"));
        assertThat(sink.problems().get(0).reason()).isEqualTo("no image has id 77");
        assertThat(sink.problems().get(1).reason()).contains("outside the caption of length 19");
    }

    @Test
    void repeatedKeysAreReportedNotSilentlyResolved() throws Exception {
        String content = "{\"images\": [" + image(1, "A man rides a horse", H, W)
                + ", {\"id\": 2, \"id\": 3, \"file_name\": \"2.jpg\", \"height\": 15, \"width\": 20, \"caption\": \"a b c\"}"
                + "], \"annotations\": [" + ann(1, 1, 0, 5, MAN).replace("\"area\": 60", "\"area\": 60, \"area\": 61")
                + ", " + ann(2, 1, 12, 19, HORSE) + "]}";
        CollectingSink sink = read(content);
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                tuple(0L, "annotations[0]"), tuple(1L, "$"));
        assertThat(sink.problems()).allSatisfy(p -> assertThat(p.reason()).contains("more than once"));
        // the image of an ambiguous annotation is not imported with part of its annotations
        assertThat(sink.records()).isEmpty();
    }

    @Test
    void maskSizeMustMatchTheImageAndFieldsMustBePresent() throws Exception {
        String content = "{\"images\": [" + image(1, "A man rides a horse", 30, 20)
                + ", {\"id\": 2, \"file_name\": \"2.jpg\", \"height\": 15, \"width\": 20}], \"annotations\": ["
                + ann(1, 1, 0, 5, MAN) + ", " + ann(2, 2, 0, 5, MAN).replace("\"sam_mask\"", "\"mask\"") + "]}";
        CollectingSink sink = read(content);
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field, ImportProblem::reason)
                .containsExactly(
                        tuple(0L, "annotations[0].sam_mask.size", "mask size [15, 20] differs from the image size [height 30, width 20]"),
                        tuple(1L, "caption", "missing"));
    }

    @Test
    void truncatedFileDeliversNothingAndSaysWhy() throws Exception {
        String full = flickr();
        CollectingSink sink = read(full.substring(0, full.length() - 30));
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.isSyntaxError()).isTrue();
            assertThat(p.position().line()).isEqualTo(9);
            assertThat(p.reason()).contains("annotations may lie after this point");
        });
    }

    @Test
    void roundTripThroughGranDf() throws Exception {
        CollectingSink first = read(flickr());
        Path out = dir.resolve("grandf.json");
        try (GrandfWriter w = GrandfWriter.create(out)) {
            first.records().forEach(w::write);
        }
        RoundTrips.assertSameContent(first.records(), GrandfWriterTest.readAll(new GrandfReader(), out));
    }
}
