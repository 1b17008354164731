package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import tools.jackson.databind.JsonNode;

class GrandfWriterTest {

    @TempDir
    Path dir;

    static final MaskRle M1 = new MaskRle(H, W, MAN);
    static final MaskRle M2 = new MaskRle(H, W, HORSE);
    static final MaskRle M3 = new MaskRle(H, W, FENCE);

    static SourceRecord record(long index, String caption, List<PhraseSpan> phrases, List<MaskRle> unlinked) {
        return new SourceRecord(index, "sa_" + index + ".jpg", null, H, W,
                new GroundedCaption(caption, phrases, unlinked), List.of());
    }

    static PhraseSpan phrase(String caption, String text, int from, MaskRle... masks) {
        int s = caption.indexOf(text, from);
        return new PhraseSpan(s, s + text.length(), text, List.of(masks));
    }

    @Test
    void writesWhatTheGcgLoaderReads() {
        String caption = "A man rides a horse.";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<ExportWarning> warnings;
        try (GrandfWriter w = new GrandfWriter(out)) {
            warnings = w.write(record(7, caption, List.of(phrase(caption, "A man", 0, M1), phrase(caption, "a horse", 0, M2, M3)), List.of()));
        }
        assertThat(warnings).isEmpty();
        JsonNode root = Json.MAPPER.readTree(out.toByteArray());
        JsonNode r = root.get(0);
        assertThat(r.get("file_name").stringValue()).isEqualTo("sa_7.jpg");
        assertThat(r.get("image_id").stringValue()).isEqualTo("sa_7");
        assertThat(r.get("height").intValue()).isEqualTo(H);
        assertThat(r.get("caption").stringValue()).isEqualTo(caption);
        JsonNode horse = r.get("groundings").get("a horse");
        assertThat(horse.get("token_positives").toString()).isEqualTo("[12,19]");
        assertThat(horse.get("rle_masks").size()).isEqualTo(2);
        assertThat(horse.get("rle_masks").get(1).get("counts").stringValue()).isEqualTo(FENCE);
        assertThat(horse.get("rle_masks").get(1).get("size").toString()).isEqualTo("[" + H + "," + W + "]");
    }

    @Test
    void repeatedPhraseTextKeepsTheFirstAndWarnsUnlinkedAndMasklessToo() throws Exception {
        String caption = "a dog chases a dog past a cat";
        List<PhraseSpan> phrases = List.of(phrase(caption, "a dog", 0, M1), phrase(caption, "a dog", 5, M2),
                phrase(caption, "a cat", 0));
        Path file = dir.resolve("out.json");
        List<ExportWarning> warnings;
        try (GrandfWriter w = GrandfWriter.create(file)) {
            warnings = w.write(record(3, caption, phrases, List.of(M3)));
        }
        assertThat(warnings).extracting(ExportWarning::recordIndex).containsOnly(3L);
        assertThat(warnings).extracting(ExportWarning::reason).satisfiesExactly(
                r -> assertThat(r).contains("\"a dog\" repeats at [13, 18)").contains("only the first is kept"),
                r -> assertThat(r).contains("\"a cat\" has no mask"),
                r -> assertThat(r).contains("1 mask(s) linked to no phrase"));

        CollectingSink back = new CollectingSink();
        new GrandfReader().read(file, back);
        assertThat(back.problems()).isEmpty();
        GroundedCaption g = back.records().get(0).caption();
        assertThat(g.phrases()).extracting(PhraseSpan::text, PhraseSpan::start).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a dog", 0), org.assertj.core.groups.Tuple.tuple("a cat", 24));
        assertThat(g.phrases().get(0).masks()).containsExactly(M1);
    }

    @Test
    void captionWithSurroundingBlanksIsStrippedAndSpansShifted() throws Exception {
        String caption = "  A man sits.";
        Path file = dir.resolve("out.json");
        try (GrandfWriter w = GrandfWriter.create(file)) {
            assertThat(w.write(record(0, caption, List.of(phrase(caption, "A man", 0, M1)), List.of()))).isEmpty();
        }
        JsonNode r = Json.MAPPER.readTree(file).get(0);
        assertThat(r.get("caption").stringValue()).isEqualTo("A man sits.");
        assertThat(r.get("groundings").get("A man").get("token_positives").toString()).isEqualTo("[0,5]");
    }

    @Test
    void emptyExportIsAnEmptyArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GrandfWriter(out).close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @Test
    void grandfToJsonlToGrandfIsIdentical() throws Exception {
        Path source = write(dir, "src.json", grandfGood());
        CollectingSink first = new CollectingSink();
        new GrandfReader().read(source, first);

        Path grandf1 = dir.resolve("a.json");
        try (GrandfWriter w = GrandfWriter.create(grandf1)) {
            first.records().forEach(w::write);
        }
        Path jsonl = dir.resolve("b.jsonl");
        try (JsonlWriter w = JsonlWriter.create(jsonl)) {
            first.records().forEach(w::write);
        }
        CollectingSink fromJsonl = new CollectingSink();
        new JsonlReader().read(jsonl, fromJsonl);
        assertThat(fromJsonl.problems()).isEmpty();
        assertThat(fromJsonl.records()).isEqualTo(first.records());

        Path grandf2 = dir.resolve("c.json");
        try (GrandfWriter w = GrandfWriter.create(grandf2)) {
            fromJsonl.records().forEach(w::write);
        }
        assertThat(Files.readString(grandf2)).isEqualTo(Files.readString(grandf1));

        CollectingSink again = new CollectingSink();
        new GrandfReader().read(grandf2, again);
        assertThat(again.records()).isEqualTo(first.records());
    }

    static List<SourceRecord> readAll(RecordReader reader, Path file) throws Exception {
        CollectingSink sink = new CollectingSink();
        reader.read(file, sink);
        assertThat(sink.problems()).isEmpty();
        return new ArrayList<>(sink.records());
    }
}
