package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class JsonlTest {

    @TempDir
    Path dir;

    @Test
    void keepsEverythingGranDfCannotExpress() throws Exception {
        String caption = "\uD83D\uDC36 a dog and a dog";
        MaskRle m1 = new MaskRle(H, W, MAN);
        MaskRle m2 = new MaskRle(H, W, HORSE);
        GroundedCaption g = new GroundedCaption(caption, List.of(
                new PhraseSpan(3, 8, "a dog", List.of(m1)),
                new PhraseSpan(13, 18, "a dog", List.of()),
                new PhraseSpan(9, 12, "and", List.of(m2))), List.of(new MaskRle(H, W, FENCE)));
        SourceRecord r = new SourceRecord(0, "pred.jpg", "pred", H, W, g, List.of("from a model"),
                new RecordMetadata("accepted", "42", "model", "GLaMM-GCG", Map.of("reviewer", "ann")));
        Path file = dir.resolve("x.jsonl");
        try (JsonlWriter w = JsonlWriter.create(file)) {
            w.write(r);
            w.write(r.withMetadata(RecordMetadata.NONE));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"start\":2,\"end\":7").contains("\"revision_id\":\"42\"");

        CollectingSink sink = new CollectingSink();
        new JsonlReader().read(file, sink);
        assertThat(sink.problems()).isEmpty();
        assertThat(sink.records()).hasSize(2);
        SourceRecord back = sink.records().get(0);
        assertThat(back.metadata()).isEqualTo(r.metadata());
        assertThat(back.warnings()).isEqualTo(r.warnings());
        assertThat(back.caption().unlinkedMasks()).isEqualTo(g.unlinkedMasks());
        // phrases come back in caption order
        assertThat(back.caption().phrases()).extracting(PhraseSpan::start).containsExactly(3, 9, 13);
        assertThat(sink.records().get(1).index()).isEqualTo(1);
        assertThat(sink.records().get(1).metadata()).isEqualTo(RecordMetadata.NONE);
    }

    @Test
    void aBadLineIsReportedAndTheOthersAreRead() throws Exception {
        String good = "{\"file_name\": \"a.jpg\", \"caption\": \"A man.\", \"phrases\": [{\"start\": 0, \"end\": 5, "
                + "\"text\": \"A man\", \"masks\": [" + mask(MAN) + "]}]}";
        String content = good + "\n"
                + "{\"file_name\": \"b.jpg\", \"caption\": \"A man.\", \"phrases\": [{\"start\": 0, \"end\": 9, \"text\": \"A man\", \"masks\": []}]}\n"
                + "\n"
                + "{\"file_name\": \"c.jpg\", \"caption\": \n"
                + "{\"file_name\": \"d.jpg\", \"caption\": \"A man.\", \"phrases\": [{\"start\": 0, \"end\": 5, \"text\": \"A man\", \"masks\": [{\"size\": [15, 20], \"counts\": 5}]}]}\n"
                + good + "\n";
        Path file = write(dir, "r.jsonl", content);
        CollectingSink sink = new CollectingSink();
        new JsonlReader().read(file, sink);
        assertThat(sink.records()).extracting(SourceRecord::index).containsExactly(0L, 5L);
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1L, "phrases[0]"),
                org.assertj.core.groups.Tuple.tuple(3L, "$"),
                org.assertj.core.groups.Tuple.tuple(4L, "phrases[0].masks[0].counts"));
        ImportProblem syntax = sink.problems().get(1);
        assertThat(syntax.isSyntaxError()).isTrue();
        assertThat(syntax.position().line()).isEqualTo(4);
        assertThat(sink.problems().get(0).reason()).contains("outside the caption of length 6");
        assertThat(sink.problems().get(2).reason()).contains("expected a compressed RLE string, found the number 5");
    }
}
