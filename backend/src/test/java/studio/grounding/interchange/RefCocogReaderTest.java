package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static studio.grounding.interchange.Fixtures.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

class RefCocogReaderTest {

    @TempDir
    Path dir;

    /** pycocotools output for polygon [1,1, 8,2, 4,8] in a 10x10 image (shared/spec/rle-vectors.json, tri_10x10). */
    static final String TRIANGLE = ";192N3M01N1N2Oc0";

    static String entry(String file, String caption, String refs) {
        return "{" + quote(file) + ": {\"img_file_name\": " + quote(file) + ", \"caption\": " + quote(caption)
                + ", \"refs\": [" + refs + "]}}";
    }

    static String ref(String sentence, String segmentation) {
        return "{\"sentence\": " + quote(sentence) + ", \"segmentation\": " + segmentation + "}";
    }

    static final String TRI = "[[1, 1, 8, 2, 4, 8]]";
    static final String BOX = "[[0, 0, 3, 0, 3, 3, 0, 3]]";

    private CollectingSink read(String content, ImageDimensions dims) throws Exception {
        CollectingSink sink = new CollectingSink();
        new RefCocogReader(dims).read(write(dir, "RefCOCOg_GCG_val.json", content), sink);
        return sink;
    }

    @Test
    void sizesComeFromTheImageHeaderAndPolygonsAreRasterisedLikePycocotools() throws Exception {
        Path images = Files.createDirectory(dir.resolve("images"));
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), "jpg", images.resolve("COCO_train2014_000000000154.jpg").toFile());
        ImageIO.write(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB), "png", images.resolve("wide.png").toFile());
        ImageDimensions dims = ImageDimensions.fromDirectory(images);
        assertThat(dims.lookup("wide.png")).contains(new ImageDimensions.Size(20, 30));
        assertThat(dims.lookup("missing.jpg")).isEmpty();
        assertThat(dims.lookup("../RefCOCOg_GCG_val.json")).isEmpty();

        String content = "[" + entry("COCO_train2014_000000000154.jpg", "\"A zebra standing next to another zebra.\"",
                ref("another ZEBRA", TRI) + ", " + ref("a zebra standing", BOX) + ", " + ref("a lion", TRI)) + "]";
        CollectingSink sink = read(content, dims);
        assertThat(sink.problems()).isEmpty();
        SourceRecord r = sink.records().get(0);
        assertThat(r.height()).isEqualTo(10);
        assertThat(r.caption().caption()).isEqualTo("A zebra standing next to another zebra.");
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text, PhraseSpan::start)
                .containsExactly(tuple("A zebra standing", 0), tuple("another zebra", 25));
        assertThat(r.caption().phrases().get(1).masks()).containsExactly(new MaskRle(10, 10, TRIANGLE));
        assertThat(r.caption().unlinkedMasks()).containsExactly(new MaskRle(10, 10, TRIANGLE));
        assertThat(r.warnings()).singleElement().asString().contains("\"a lion\" not found");
    }

    @Test
    void overlappingSpansAreTrimmedAndRepeatedSentencesMerged() throws Exception {
        ImageDimensions dims = name -> Optional.of(new ImageDimensions.Size(10, 10));
        String content = "[" + entry("a.jpg", "A man riding a horse on a beach",
                ref("man riding a horse", TRI) + ", " + ref("a horse on a beach", BOX) + ", " + ref("a horse on a beach", TRI)) + "]";
        CollectingSink sink = read(content, dims);
        assertThat(sink.problems()).isEmpty();
        SourceRecord r = sink.records().get(0);
        assertThat(r.caption().phrases()).extracting(PhraseSpan::text, p -> p.masks().size())
                .containsExactly(tuple("man riding", 1), tuple("a horse on a beach", 2));
        assertThat(r.caption().problems()).isEmpty();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("trimmed to \"man riding\""));
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("merged as instances"));
    }

    @Test
    void badRecordsAreReportedWithTheirRef() throws Exception {
        Map<String, ImageDimensions.Size> known = Map.of("a.jpg", new ImageDimensions.Size(10, 10));
        ImageDimensions dims = name -> Optional.ofNullable(known.get(name));
        String content = "[" + entry("a.jpg", "A cat", ref("A cat", TRI)) + ",\n"
                + entry("a.jpg", "A cat", ref("A cat", "[[1, 2, 3, 4]]")) + ",\n"
                + entry("nope.jpg", "A cat", ref("A cat", TRI)) + ",\n"
                + "{\"a.jpg\": {\"img_file_name\": \"a.jpg\", \"caption\": \"A cat\", \"refs\": [{\"segmentation\": " + TRI + "}]}},\n"
                + "{\"a.jpg\": {}, \"b.jpg\": {}},\n"
                + entry("a.jpg", "A cat", ref("A cat", "[[1, 2, 3, \"x\", 5, 6]]")) + ",\n"
                + entry("a.jpg", "A cat", ref("A cat", BOX)) + "]";
        CollectingSink sink = read(content, dims);
        assertThat(sink.records()).extracting(SourceRecord::index).containsExactly(0L, 6L);
        assertThat(sink.problems()).extracting(ImportProblem::recordIndex, ImportProblem::field).containsExactly(
                tuple(1L, "a.jpg.refs[0].segmentation[0]"),
                tuple(2L, "nope.jpg.img_file_name"),
                tuple(3L, "a.jpg.refs[0].sentence"),
                tuple(4L, "$"),
                tuple(5L, "a.jpg.refs[0].segmentation[0]"));
        assertThat(sink.problems().get(0).reason()).contains("at least 6");
        assertThat(sink.problems().get(1).reason()).contains("image size is needed");
    }

    @Test
    void roundTripThroughGranDf() throws Exception {
        ImageDimensions dims = name -> Optional.of(new ImageDimensions.Size(10, 10));
        String content = "[" + entry("a.jpg", "A zebra next to another zebra", ref("a zebra", TRI) + ", " + ref("another zebra", BOX)) + "]";
        CollectingSink first = read(content, dims);
        Path out = dir.resolve("grandf.json");
        try (GrandfWriter w = GrandfWriter.create(out)) {
            first.records().forEach(w::write);
        }
        RoundTrips.assertSameContent(first.records(), GrandfWriterTest.readAll(new GrandfReader(), out));
    }

    @Test
    void truncatedFileKeepsTheRecordsBeforeTheError() throws Exception {
        ImageDimensions dims = name -> Optional.of(new ImageDimensions.Size(10, 10));
        String content = "[" + entry("a.jpg", "A cat", ref("A cat", TRI)) + ",\n" + entry("b.jpg", "A dog", ref("A dog", TRI)) + "]";
        CollectingSink sink = read(content.substring(0, content.length() - 12), dims);
        assertThat(sink.records()).extracting(SourceRecord::fileName).containsExactly("a.jpg");
        assertThat(sink.problems()).singleElement().satisfies(p -> {
            assertThat(p.isSyntaxError()).isTrue();
            assertThat(p.recordIndex()).isEqualTo(1);
            assertThat(p.position().line()).isEqualTo(2);
        });
    }
}
