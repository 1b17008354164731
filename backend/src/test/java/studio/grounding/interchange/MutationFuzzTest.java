package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;
import static studio.grounding.interchange.Fixtures.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.mask.Rle;

/**
 * Property tests (jqwik; named *Test so the default surefire includes run them): random byte mutations (flip, replace, insert, delete, truncate) of valid files: readers never throw, they report
 * problems, and every record they still deliver is internally valid (spans match the caption, masks decode to the
 * record's size).
 */
class MutationFuzzTest {

    record Mutation(int kind, double where, int value) {
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 255)).as(Mutation::new).list().ofMinSize(1).ofMaxSize(4);
    }

    static byte[] mutate(byte[] in, List<Mutation> ms) {
        byte[] b = in.clone();
        for (Mutation m : ms) {
            if (b.length == 0) {
                break;
            }
            int i = Math.min(b.length - 1, (int) (m.where() * b.length));
            b = switch (m.kind()) {
                case 0 -> { b[i] ^= (byte) (1 << (m.value() % 8)); yield b; }
                case 1 -> { b[i] = (byte) m.value(); yield b; }
                case 2 -> { byte[] c = new byte[b.length + 1]; System.arraycopy(b, 0, c, 0, i); c[i] = (byte) m.value();
                    System.arraycopy(b, i, c, i + 1, b.length - i); yield c; }
                case 3 -> { byte[] c = new byte[b.length - 1]; System.arraycopy(b, 0, c, 0, i);
                    System.arraycopy(b, i + 1, c, i, b.length - i - 1); yield c; }
                default -> java.util.Arrays.copyOf(b, i);
            };
        }
        return b;
    }

    /** Smallest byte position any of the mutations touches (positions are taken on the growing/shrinking copy). */
    static int firstTouched(byte[] in, List<Mutation> ms) {
        int length = in.length;
        int min = Integer.MAX_VALUE;
        for (Mutation m : ms) {
            if (length == 0) {
                break;
            }
            int i = Math.min(length - 1, (int) (m.where() * length));
            min = Math.min(min, i);
            length += m.kind() == 2 ? 1 : m.kind() == 3 ? -1 : 0;
            if (m.kind() > 3) {
                length = i;
            }
        }
        return min;
    }

    /** A fresh directory under the build directory (cleaned with it), not the system temp dir. */
    private static Path fuzzDir() throws IOException {
        Path base = Files.createDirectories(Path.of("target", "fuzz"));
        return Files.createTempDirectory(base, "case");
    }

    private static Path temp(String name, byte[] content) {
        try {
            Path dir = fuzzDir();
            Path p = dir.resolve(name);
            Files.write(p, content);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertSane(CollectingSink sink) {
        for (SourceRecord r : sink.records()) {
            assertThat(r.caption().problems()).isEmpty();
            for (PhraseSpan p : r.caption().phrases()) {
                assertThat(p.start()).isLessThan(p.end());
            }
            for (MaskRle m : r.caption().allMasks()) {
                Rle.fromString(m.counts(), m.height(), m.width());
                if (r.height() != null) {
                    assertThat(m.height()).isEqualTo(r.height());
                    assertThat(m.width()).isEqualTo(r.width());
                }
            }
        }
        for (ImportProblem p : sink.problems()) {
            assertThat(p.reason()).isNotBlank();
        }
    }

    private static CollectingSink run(RecordReader reader, Path input) {
        CollectingSink sink = new CollectingSink();
        try {
            reader.read(input, sink);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertSane(sink);
        return sink;
    }

    @Property(tries = 300)
    void grandf(@ForAll("mutations") List<Mutation> ms) throws IOException {
        byte[] original = grandfGood().getBytes(StandardCharsets.UTF_8);
        CollectingSink sink = run(new GrandfReader(), temp("g.json", mutate(original, ms)));
        // a record that lies wholly before the first touched byte is delivered, and unchanged
        List<SourceRecord> expected = run(new GrandfReader(), temp("g.json", original)).records();
        String text = grandfGood();
        int endOfFirst = text.indexOf(",\n"); // the first record is the whole second line
        if (firstTouched(original, ms) > endOfFirst + 1) {
            assertThat(sink.records()).isNotEmpty();
            assertThat(sink.records().getFirst()).isEqualTo(expected.getFirst());
        }
    }

    @Property(tries = 300)
    void flickr(@ForAll("mutations") List<Mutation> ms) {
        run(new FlickrReader(), temp("f.json", mutate(FlickrReaderTest.flickr().getBytes(StandardCharsets.UTF_8), ms)));
    }

    @Property(tries = 200)
    void refcocog(@ForAll("mutations") List<Mutation> ms) throws IOException {
        String content = "[" + RefCocogReaderTest.entry("a.jpg", "A zebra next to another zebra",
                RefCocogReaderTest.ref("a zebra", RefCocogReaderTest.TRI) + ", "
                        + RefCocogReaderTest.ref("another zebra", RefCocogReaderTest.BOX)) + "]";
        Path file = temp("r.json", mutate(content.getBytes(StandardCharsets.UTF_8), ms));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(10, 10, java.awt.image.BufferedImage.TYPE_INT_RGB),
                "png", file.resolveSibling("a.jpg").toFile());
        run(new RefCocogReader(ImageDimensions.fromDirectory(file.getParent())), file);
    }

    @Property(tries = 200)
    void predictions(@ForAll("mutations") List<Mutation> ms) {
        String content = PredictionReaderTest.prediction("sa_1", "A man rides a horse.", "\"A man\", \"a horse\"", MAN, HORSE);
        Path file = temp("sa_1.json", mutate(content.getBytes(StandardCharsets.UTF_8), ms));
        run(new PredictionReader(), file.getParent());
    }

    @Property(tries = 200)
    void jsonl(@ForAll("mutations") List<Mutation> ms) throws IOException {
        Path src = temp("g.json", grandfGood().getBytes(StandardCharsets.UTF_8));
        CollectingSink records = run(new GrandfReader(), src);
        Path jsonl = src.resolveSibling("x.jsonl");
        try (JsonlWriter w = JsonlWriter.create(jsonl)) {
            records.records().forEach(w::write);
        }
        Files.write(jsonl, mutate(Files.readAllBytes(jsonl), ms));
        run(new JsonlReader(), jsonl);
    }

    @Property(tries = 200)
    void cocoGcg(@ForAll("mutations") List<Mutation> ms, @ForAll @IntRange(min = 0, max = 1) int whichFile) throws IOException {
        Path dir = fuzzDir();
        try (CocoGcgWriter w = CocoGcgWriter.create(dir, "val")) {
            CocoGcgTest.records().forEach(w::write);
        }
        Path target = dir.resolve(whichFile == 0 ? "val_gcg_coco_mask_gt.json" : "val_gcg_coco_caption_gt.json");
        Files.write(target, mutate(Files.readAllBytes(target), ms));
        run(new CocoGcgReader(), dir.resolve("val_gcg_coco_mask_gt.json"));
    }
}
