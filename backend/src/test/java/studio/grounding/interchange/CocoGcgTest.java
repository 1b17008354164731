package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static studio.grounding.interchange.Fixtures.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import tools.jackson.databind.JsonNode;

class CocoGcgTest {

    @TempDir
    Path dir;

    static final MaskRle M1 = new MaskRle(H, W, MAN);
    static final MaskRle M2 = new MaskRle(H, W, HORSE);
    static final MaskRle M3 = new MaskRle(H, W, HORSE2);
    static final MaskRle M4 = new MaskRle(H, W, FENCE);

    static SourceRecord rec(long index, String file, String caption, List<PhraseSpan> phrases) {
        return new SourceRecord(index, file, null, H, W, new GroundedCaption(caption, phrases), List.of());
    }

    static PhraseSpan at(String caption, String text, int from, MaskRle... masks) {
        int s = caption.indexOf(text, from);
        return new PhraseSpan(s, s + text.length(), text, List.of(masks));
    }

    static List<SourceRecord> records() {
        String c1 = "A man rides a horse near a fence.";
        String c2 = "Two horses graze.";
        return List.of(
                rec(0, "sa_1.jpg", c1, List.of(at(c1, "A man", 0, M1), at(c1, "a horse", 0, M2), at(c1, "a fence", 0, M4))),
                rec(1, "sa_2.jpg", c2, List.of(at(c2, "Two horses", 0, M2, M3))));
    }

    @Test
    void writesWhatEvaluatePyReadsInOnePass() throws Exception {
        List<ExportWarning> warnings;
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            warnings = records().stream().flatMap(r -> w.write(r).stream()).toList();
        }
        assertThat(warnings).isEmpty();
        JsonNode masks = Json.MAPPER.readTree(dir.resolve("val_gcg_coco_mask_gt.json"));
        assertThat(masks.get("images")).hasSize(2);
        assertThat(masks.get("images").get(0).get("id").stringValue()).isEqualTo("sa_1");
        assertThat(masks.get("images").get(0).get("file_name").stringValue()).isEqualTo("sa_1.jpg");
        JsonNode anns = masks.get("annotations");
        assertThat(anns).hasSize(5);
        JsonNode a0 = anns.get(0);
        assertThat(a0.get("id").intValue()).isEqualTo(1);
        assertThat(a0.get("image_id").stringValue()).isEqualTo("sa_1");
        assertThat(a0.get("category_id").intValue()).isEqualTo(1);
        assertThat(a0.get("iscrowd").intValue()).isZero();
        assertThat(a0.get("segmentation").get("counts").stringValue()).isEqualTo(MAN);
        assertThat(a0.get("area").longValue()).isEqualTo(5 * 12);
        assertThat(a0.get("bbox").toString()).isEqualTo("[1.0,2.0,5.0,12.0]");
        assertThat(masks.get("categories").get(0).get("id").intValue()).isEqualTo(1);

        JsonNode caps = Json.MAPPER.readTree(dir.resolve("val_gcg_coco_caption_gt.json"));
        assertThat(caps.get("images")).hasSize(2);
        assertThat(caps.get("annotations").get(1).get("labels").toString()).isEqualTo("[\"Two horses\",\"Two horses\"]");
        assertThat(caps.get("annotations").get(0).get("caption").stringValue()).isEqualTo("A man rides a horse near a fence.");
    }

    /** Issue 10 §1: evaluate.py's COCO(caption_gt) raised KeyError('id') on our export. */
    @Test
    void bothFilesHaveWhatPycocotoolsIndexes() throws Exception {
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            records().forEach(w::write);
        }
        JsonNode masks = Json.MAPPER.readTree(dir.resolve("val_gcg_coco_mask_gt.json"));
        JsonNode caps = Json.MAPPER.readTree(dir.resolve("val_gcg_coco_caption_gt.json"));
        assertThat(PycocotoolsStructure.maskFileErrors(masks)).isEmpty();
        assertThat(PycocotoolsStructure.captionFileErrors(caps)).isEmpty();
        assertThat(caps.get("annotations")).extracting(a -> a.get("id").longValue()).containsExactly(1L, 2L);
        // the checker itself catches what COCO() trips on
        ((tools.jackson.databind.node.ObjectNode) caps.get("annotations").get(0)).remove("id");
        assertThat(PycocotoolsStructure.captionFileErrors(caps)).containsExactly("annotations[0]: KeyError('id')");
    }

    @Test
    void pairRoundTripsAndThroughGranDfToo() throws Exception {
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "test")) {
            records().forEach(w::write);
        }
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(dir.resolve("test_gcg_coco_mask_gt.json"), sink);
        assertThat(sink.problems()).isEmpty();
        RoundTrips.assertSameContent(records(), sink.records());
        assertThat(sink.records()).allSatisfy(r -> assertThat(r.warnings()).isEmpty());

        Path grandf = dir.resolve("grandf.json");
        try (GrandfWriter w = GrandfWriter.create(grandf)) {
            sink.records().forEach(w::write);
        }
        RoundTrips.assertSameContent(sink.records(), GrandfWriterTest.readAll(new GrandfReader(), grandf));
    }

    @Test
    void writerFlagsWhatTheLabelsCannotCarry() throws Exception {
        String c = "a dog and a dog";
        SourceRecord r = new SourceRecord(4, "x.jpg", null, H, W, new GroundedCaption(c,
                List.of(new PhraseSpan(6, 9, "and", List.of()), new PhraseSpan(10, 15, "a dog", List.of(M1))),
                List.of(M2)), List.of());
        List<ExportWarning> warnings;
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            warnings = w.write(r);
        }
        assertThat(warnings).extracting(ExportWarning::reason).satisfiesExactly(
                s -> assertThat(s).contains("\"and\" has no mask"),
                s -> assertThat(s).contains("\"a dog\" at [10, 15) will be read back at another occurrence"),
                s -> assertThat(s).contains("1 mask(s) linked to no phrase"));
    }

    @Test
    void readerPairsLabelsWithMasksAndReportsBadInput() throws Exception {
        String masks = "{\"images\": [{\"id\": \"sa_1\", \"height\": 15, \"width\": 20}, {\"id\": \"sa_2\", \"height\": 15, \"width\": 20},"
                + " {\"id\": \"sa_3\", \"height\": 15, \"width\": 20}, {\"id\": \"sa_4\", \"height\": 15, \"width\": 20}],"
                + " \"annotations\": ["
                + "{\"id\": 1, \"image_id\": \"sa_1\", \"segmentation\": " + mask(MAN) + "},"
                + "{\"id\": 2, \"image_id\": \"sa_2\", \"segmentation\": " + mask(MAN) + "},"
                + "{\"id\": 3, \"image_id\": \"sa_3\", \"segmentation\": {\"size\": [10, 10], \"counts\": \"T3\"}},"
                + "{\"id\": 4, \"image_id\": \"sa_1\", \"segmentation\": " + mask(HORSE) + "},"
                + "{\"id\": 5, \"image_id\": \"sa_1\", \"segmentation\": " + mask(FENCE) + "}]}";
        String captions = "{\"images\": [], \"annotations\": ["
                + "{\"image_id\": \"sa_1\", \"caption\": \"A man and a unicorn\", \"labels\": [\"A man\", \"a dragon\"]},"
                + "{\"image_id\": \"sa_1\", \"caption\": \"ignored second caption\", \"labels\": []},"
                + "{\"image_id\": \"sa_3\", \"caption\": \"A man\", \"labels\": [\"A man\"]},"
                + "{\"image_id\": \"sa_4\", \"caption\": \"Nothing\", \"labels\": []}]}";
        Path maskFile = write(dir, "val_gcg_coco_mask_gt.json", masks);
        write(dir, "val_gcg_coco_caption_gt.json", captions);
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(maskFile, sink);
        assertThat(sink.records()).extracting(SourceRecord::imageId).containsExactly("sa_1", "sa_4");
        SourceRecord r = sink.records().get(0);
        assertThat(r.fileName()).isEqualTo("sa_1.jpg");
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text).containsExactly("A man");
        assertThat(r.caption().unlinkedMasks()).containsExactly(M2, M4);
        // a second caption annotation of the image is another reference caption (issue 10 §1)
        assertThat(r.otherReferences()).containsExactly("ignored second caption");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("2 label(s) but 3 mask(s)"));
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("\"a dragon\" not found"));
        assertThat(sink.problems()).extracting(ImportProblem::file, ImportProblem::recordIndex, ImportProblem::field)
                .containsExactly(
                        tuple("val_gcg_coco_mask_gt.json", 1L, "id"),
                        tuple("val_gcg_coco_mask_gt.json", 2L, "annotations[2].segmentation.size"));
        assertThat(sink.problems().get(0).reason()).contains("no caption for image sa_2 in val_gcg_coco_caption_gt.json");
    }

    /**
     * Issue 10 §2: labels "Two dogs", "a ball", "Two dogs" with "Two dogs" once in the caption. GLaMM's loaders find a
     * label with {@code caption.find(label)}, so the third label is the first phrase again: its mask stays with that
     * phrase (it used to become an unlinked mask, which the export then dropped).
     */
    @Test
    void aLabelRepeatedLaterInTheListIsAnotherInstanceOfThePhrase() throws Exception {
        String masks = "{\"images\": [{\"id\": \"sa_1\", \"height\": 15, \"width\": 20}], \"annotations\": ["
                + "{\"id\": 1, \"image_id\": \"sa_1\", \"segmentation\": " + mask(MAN) + "},"
                + "{\"id\": 2, \"image_id\": \"sa_1\", \"segmentation\": " + mask(HORSE) + "},"
                + "{\"id\": 3, \"image_id\": \"sa_1\", \"segmentation\": " + mask(FENCE) + "}]}";
        String captions = "{\"images\": [{\"id\": \"sa_1\"}], \"annotations\": [{\"id\": 1, \"image_id\": \"sa_1\","
                + " \"caption\": \"Two dogs chase a ball.\", \"labels\": [\"Two dogs\", \"a ball\", \"Two dogs\"]}]}";
        Path maskFile = write(dir, "val_gcg_coco_mask_gt.json", masks);
        write(dir, "val_gcg_coco_caption_gt.json", captions);
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(maskFile, sink);
        assertThat(sink.problems()).isEmpty();
        SourceRecord r = sink.records().getFirst();
        assertThat(r.caption().unlinkedMasks()).isEmpty();
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text, PhraseSpan::start, PhraseSpan::masks)
                .containsExactly(tuple("Two dogs", 0, List.of(M1, M4)), tuple("a ball", 15, List.of(M2)));
        assertThat(r.warnings()).singleElement().asString().contains("label 2 \"Two dogs\" repeats an earlier label");
    }

    /** Issue 10 §1: every caption annotation of an image is a reference; they are read, kept and written back. */
    @Test
    void everyReferenceCaptionIsReadAndWrittenBack() throws Exception {
        String c = "A man rides a horse near a fence.";
        SourceRecord two = new SourceRecord(0, "sa_1.jpg", null, H, W, new GroundedCaption(c,
                List.of(at(c, "A man", 0, M1))), List.of(), RecordMetadata.NONE,
                List.of("A person on a horse.", "Someone riding."));
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            w.write(two);
            w.write(records().get(1));
        }
        JsonNode caps = Json.MAPPER.readTree(dir.resolve("val_gcg_coco_caption_gt.json"));
        assertThat(PycocotoolsStructure.captionFileErrors(caps)).isEmpty();
        assertThat(caps.get("annotations")).extracting(a -> a.get("id").longValue(), a -> a.get("image_id").stringValue(),
                        a -> a.get("caption").stringValue(), a -> a.get("labels").size())
                .containsExactly(tuple(1L, "sa_1", c, 1), tuple(2L, "sa_1", "A person on a horse.", 0),
                        tuple(3L, "sa_1", "Someone riding.", 0), tuple(4L, "sa_2", "Two horses graze.", 2));
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(dir.resolve("val_gcg_coco_mask_gt.json"), sink);
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.records()).extracting(SourceRecord::otherReferences)
                .containsExactly(List.of("A person on a horse.", "Someone riding."), List.of());
        assertThat(sink.records().getFirst().caption()).isEqualTo(two.caption());
    }

    /** Issue 10 §1: a label "the man" for the caption's "The man" is written back as "the man", masks in order. */
    @Test
    void labelsAndMaskOrderRoundTripExactly() throws Exception {
        String masks = "{\"images\": [{\"id\": \"sa_1\", \"height\": 15, \"width\": 20}], \"annotations\": ["
                + "{\"id\": 1, \"image_id\": \"sa_1\", \"segmentation\": " + mask(HORSE) + "},"
                + "{\"id\": 2, \"image_id\": \"sa_1\", \"segmentation\": " + mask(MAN) + "}]}";
        String captions = "{\"images\": [{\"id\": \"sa_1\"}], \"annotations\": [{\"id\": 1, \"image_id\": \"sa_1\","
                + " \"caption\": \"The man rides a horse.\", \"labels\": [\"a horse\", \"the man\"]}]}";
        Path maskFile = write(dir, "in_mask_gt.json", masks);
        write(dir, "in_caption_gt.json", captions);
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(maskFile, sink);
        SourceRecord r = sink.records().getFirst();
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text).containsExactly("The man", "a horse");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        try (CocoGcgWriter w = CocoGcgWriter.create(out, "val")) {
            assertThat(w.write(r)).isEmpty();
        }
        JsonNode caps = Json.MAPPER.readTree(out.resolve("val_gcg_coco_caption_gt.json"));
        assertThat(caps.get("annotations").get(0).get("labels").toString()).isEqualTo("[\"a horse\",\"the man\"]");
        JsonNode anns = Json.MAPPER.readTree(out.resolve("val_gcg_coco_mask_gt.json")).get("annotations");
        assertThat(anns).extracting(a -> a.get("segmentation").get("counts").stringValue()).containsExactly(HORSE, MAN);
        // without the listing (an edited revision) the phrases are written: caption text, caption order
        try (CocoGcgWriter w = CocoGcgWriter.create(out, "edited")) {
            w.write(new SourceRecord(0, "sa_1.jpg", "sa_1", H, W, r.caption(), List.of()));
        }
        assertThat(Json.MAPPER.readTree(out.resolve("edited_gcg_coco_caption_gt.json")).get("annotations").get(0)
                .get("labels").toString()).isEqualTo("[\"The man\",\"a horse\"]");
    }

    @Test
    void brokenCaptionFileStopsBeforeAnything() throws Exception {
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            records().forEach(w::write);
        }
        Path cap = dir.resolve("val_gcg_coco_caption_gt.json");
        String s = Files.readString(cap);
        Files.writeString(cap, s.substring(0, s.length() / 2));
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(dir.resolve("val_gcg_coco_mask_gt.json"), sink);
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("val_gcg_coco_caption_gt.json");
            assertThat(p.isSyntaxError()).isTrue();
        });
    }

    @Test
    void badMasksRejectTheirImageAndATruncatedMaskFileDeliversNothing() throws Exception {
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            records().forEach(w::write);
        }
        Path maskFile = dir.resolve("val_gcg_coco_mask_gt.json");
        String good = Files.readString(maskFile);
        Files.writeString(maskFile, good.replaceFirst("\"counts\":\"[^\"]*\"", "\"counts\":\"~~not rle\"")
                .replaceFirst("\"image_id\":\"sa_2\",\"category_id\":1,\"segmentation\":\\{[^}]*\\}",
                        "\"image_id\":\"sa_2\",\"category_id\":1,\"segmentation\":[[1,2,3,4,5,6]]"));
        CollectingSink sink = new CollectingSink();
        new CocoGcgReader().read(maskFile, sink);
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                tuple(0L, "annotations[0].segmentation.counts"), tuple(1L, "annotations[3].segmentation"));
        assertThat(sink.problems().get(1).reason()).contains("expected an object, found an array");

        Files.writeString(maskFile, good.substring(0, good.length() - 10));
        CollectingSink truncated = new CollectingSink();
        new CocoGcgReader().read(maskFile, truncated);
        assertThat(truncated.records()).isEmpty();
        assertThat(truncated.problems()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("val_gcg_coco_mask_gt.json");
            assertThat(p.isSyntaxError()).isTrue();
            assertThat(p.position().byteOffset()).isEqualTo(good.length() - 10);
        });
    }
}
