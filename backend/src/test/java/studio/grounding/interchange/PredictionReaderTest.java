package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class PredictionReaderTest {

    @TempDir
    Path dir;

    static String prediction(String id, String caption, String phrases, String... masks) {
        StringBuilder m = new StringBuilder();
        for (String counts : masks) {
            m.append(m.isEmpty() ? "" : ", ").append(mask(counts));
        }
        return "{\"image_id\": " + quote(id) + ", \"caption\": " + quote(caption) + ", \"phrases\": [" + phrases
                + "], \"pred_masks\": [" + m + "]}";
    }

    private CollectingSink read() throws Exception {
        CollectingSink sink = new CollectingSink();
        new PredictionReader().read(dir, sink);
        return sink;
    }

    @Test
    void pairsPhraseIWithMaskIAndKeepsMismatchesVisible() throws Exception {
        write(dir, "sa_1.json", prediction("sa_1", "The image shows a hot air balloon flying over a river.",
                "\"hot air balloon\", \"river\"", MAN, HORSE));
        write(dir, "sa_2.json", prediction("sa_2", "A man walks a dog and a dog.",
                "\"A man\", \"a dog\", \"a dog\"", MAN, HORSE));
        write(dir, "sa_3.json", prediction("sa_3", "A cat.", "\"A cat\", \"a unicorn\"", MAN, HORSE, FENCE));
        write(dir, "notes.txt", "ignored");
        CollectingSink sink = read();
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.records()).extracting(SourceRecord::fileName).containsExactly("sa_1.jpg", "sa_2.jpg", "sa_3.jpg");

        SourceRecord r1 = sink.records().get(0);
        assertThat(r1.warnings()).isEmpty();
        assertThat(r1.height()).isEqualTo(H);
        assertThat(r1.caption().phrases()).extracting(PhraseSpan::text, p -> p.masks().getFirst().counts())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("hot air balloon", MAN),
                        org.assertj.core.groups.Tuple.tuple("river", HORSE));

        SourceRecord r2 = sink.records().get(1);
        assertThat(r2.caption().phrases()).extracting(PhraseSpan::start).containsExactly(0, 12, 22);
        assertThat(r2.caption().phrases().get(2).masks()).isEmpty();
        assertThat(r2.warnings()).anySatisfy(w -> assertThat(w).contains("3 phrase(s) but 2 mask(s)"));
        assertThat(r2.warnings()).anySatisfy(w -> assertThat(w).contains("duplicate phrase text \"a dog\""));

        SourceRecord r3 = sink.records().get(2);
        assertThat(r3.caption().phrases()).extracting(PhraseSpan::text).containsExactly("A cat");
        assertThat(r3.caption().unlinkedMasks()).containsExactly(new MaskRle(H, W, HORSE), new MaskRle(H, W, FENCE));
        assertThat(r3.warnings()).anySatisfy(w -> assertThat(w).contains("\"a unicorn\" not found; its mask is kept unlinked".replace("found;", "found in the caption;")));
    }

    @Test
    void aBrokenFileIsReportedWithItsNameAndTheOthersAreRead() throws Exception {
        write(dir, "a.json", prediction("a", "A cat.", "\"A cat\"", MAN));
        write(dir, "b.json", "{\"image_id\": \"b\", \"caption\": \"A cat.\", \"phrases\": [\"A cat\"], \"pred_masks\": [");
        write(dir, "c.json", prediction("c", "A cat.", "\"A cat\"", "!!"));
        write(dir, "d.json", "{\"image_id\": \"d\", \"phrases\": [1], \"pred_masks\": {}}");
        write(dir, "e.json", prediction("e", "A cat.", "\"A cat\"", MAN));
        Files.createDirectory(dir.resolve("sub.json"));
        CollectingSink sink = read();
        assertThat(sink.records()).extracting(SourceRecord::imageId).containsExactly("a", "e");
        assertThat(sink.records()).extracting(SourceRecord::index).containsExactly(0L, 4L);
        assertThat(sink.problems()).extracting(ImportProblem::file, ImportProblem::recordIndex, ImportProblem::field)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("b.json", 1L, "$"),
                        org.assertj.core.groups.Tuple.tuple("c.json", 2L, "pred_masks[0].counts"),
                        org.assertj.core.groups.Tuple.tuple("d.json", 3L, "caption"),
                        org.assertj.core.groups.Tuple.tuple("d.json", 3L, "pred_masks"),
                        org.assertj.core.groups.Tuple.tuple("d.json", 3L, "phrases[0]"));
        assertThat(sink.problems().get(0).isSyntaxError()).isTrue();
        assertThat(sink.problems().get(0).position().line()).isEqualTo(1);
    }

    @Test
    void masksOfAPredictionMustShareOneSize() throws Exception {
        write(dir, "x.json", "{\"image_id\": \"x\", \"caption\": \"A cat.\", \"phrases\": [\"A cat\", \"cat\"], "
                + "\"pred_masks\": [" + mask(MAN) + ", {\"size\": [10, 10], \"counts\": \"T3\"}]}");
        CollectingSink sink = read();
        assertThat(sink.records()).isEmpty();
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("pred_masks[1].size");
            assertThat(p.reason()).contains("differs from the size of the record's other masks [15, 20]");
        });
    }

    @Test
    void roundTripThroughGranDfKeepsCaptionSpansAndMasks() throws Exception {
        write(dir, "sa_1.json", prediction("sa_1", "The image shows a hot air balloon flying over a river.",
                "\"hot air balloon\", \"river\"", MAN, HORSE));
        write(dir, "sa_2.json", prediction("sa_2", "A man and a woman.", "\"man\", \"a woman\"", MAN, FENCE));
        CollectingSink first = read();
        assertThat(first.records().get(1).caption().phrases().get(0).start()).isEqualTo(2);
        Path out = dir.resolve("grandf.out");
        try (GrandfWriter w = GrandfWriter.create(out)) {
            first.records().forEach(r -> assertThat(w.write(r)).isEmpty());
        }
        RoundTrips.assertSameContent(first.records(), GrandfWriterTest.readAll(new GrandfReader(), out));
    }
}
