package studio.grounding.annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import studio.grounding.mask.Rle;

/** The editor document's JSON form, its strict checks and its problems. */
class EditorDocumentTest {

    static final String DOG = box(0, 0, 2, 2);

    static String box(int x, int y, int w, int h) {
        return Rle.fromBbox(new double[] {x, y, w, h}, 6, 8).toCompressedString();
    }

    static String json(String phrases) {
        return "{\"caption\":\"A dog on grass.\",\"phrases\":[" + phrases + "],\"unlinkedMasks\":[],\"accepted\":[]}";
    }

    @Test
    void readsTheContractsJsonAndWritesItBack() {
        String json = """
                {"caption":"A dog on grass.","phrases":[{"start":0,"end":5,"text":"A dog","flagged":false,
                  "masks":[{"size":[6,8],"counts":"%s"}]}],
                 "unlinkedMasks":[{"size":[6,8],"counts":"%s"}],"accepted":["mask:0:unlinked"]}"""
                .formatted(DOG, box(3, 3, 2, 2));

        EditorDocument doc = EditorDocument.fromJson(json);

        assertThat(doc.caption()).isEqualTo("A dog on grass.");
        assertThat(doc.phrases()).containsExactly(new EditorDocument.Phrase(0, 5, "A dog",
                List.of(new EditorDocument.Mask(6, 8, DOG)), false));
        assertThat(doc.unlinkedMasks()).extracting(EditorDocument.Mask::height).containsExactly(6);
        assertThat(doc.accepted()).containsExactly("mask:0:unlinked");
        assertThat(EditorDocument.fromJson(doc.toJson())).isEqualTo(doc);
        assertThat(doc.toJson()).contains("\"size\":[6,8]");
    }

    @Test
    void namesTheFieldOfEachProblem() {
        assertProblem("{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[]}", "accepted: missing");
        assertProblem("{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[],\"extra\":1}",
                "extra: unknown field");
        assertProblem("{\"caption\":5,\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}", "caption: must be a string");
        assertProblem("{\"caption\":\"x\",", "document: not valid JSON");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"masks\":[]}"), "phrases[0].flagged: missing");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,\"masks\":[],\"color\":1}"),
                "phrases[0].color: unknown field");
        assertProblem(json("{\"start\":\"0\",\"end\":5,\"text\":\"A dog\",\"flagged\":false,\"masks\":[]}"),
                "phrases[0].start: must be an integer");
        assertProblem(json("{\"start\":0,\"end\":40,\"text\":\"A dog\",\"flagged\":false,\"masks\":[]}"),
                "phrases[0].start: span [0, 40) is outside the caption of length 15");
        assertProblem(json("{\"start\":2,\"end\":2,\"text\":\"\",\"flagged\":false,\"masks\":[]}"),
                "phrases[0].start: span [2, 2) is outside the caption of length 15 or empty");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A cat\",\"flagged\":false,\"masks\":[]}"),
                "phrases[0].text: \"A cat\" does not match the caption's text \"A dog\" at [0, 5)");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,"
                + "\"masks\":[{\"size\":[6],\"counts\":\"" + DOG + "\"}]}"), "phrases[0].masks[0].size: must be [height, width]");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,"
                + "\"masks\":[{\"size\":[0,8],\"counts\":\"" + DOG + "\"}]}"), "phrases[0].masks[0].size: must be [height, width]");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,"
                + "\"masks\":[{\"size\":[6,8],\"counts\":\"" + DOG + "~~\"}]}"), "phrases[0].masks[0].counts: malformed RLE");
        assertProblem(json("{\"start\":0,\"end\":5,\"text\":\"A dog\",\"flagged\":false,"
                + "\"masks\":[{\"size\":[6,9],\"counts\":\"" + DOG + "\"}]}"), "phrases[0].masks[0].counts: malformed RLE");
        assertProblem("{\"caption\":\"x\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[\"all\"]}",
                "accepted[0]: must be a problem");
    }

    @Test
    void reportsEveryProblemAtOnce() {
        assertThatThrownBy(() -> EditorDocument.fromJson("{\"caption\":1,\"phrases\":{},\"more\":true}"))
                .isInstanceOfSatisfying(InvalidDocumentException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "more: unknown field", "caption: must be a string", "phrases: must be an array",
                        "unlinkedMasks: missing", "accepted: missing"));
    }

    @Test
    void aFlaggedPhraseMayBeEmptyButIsAProblemThatCannotBeAccepted() {
        String json = """
                {"caption":"On grass.","phrases":[{"start":0,"end":0,"text":"A dog","flagged":true,"masks":[]},
                  {"start":3,"end":8,"text":"grass","flagged":false,"masks":[]}],
                 "unlinkedMasks":[{"size":[6,8],"counts":"%s"},{"size":[6,8],"counts":"%s"}],
                 "accepted":["phrase:0:text-deleted","phrase:1:no-mask","mask:1:unlinked"]}""".formatted(DOG, DOG);

        EditorDocument doc = EditorDocument.fromJson(json);

        assertThat(doc.problems()).containsExactly("phrase:0:text-deleted", "phrase:1:no-mask", "mask:0:unlinked",
                "mask:1:unlinked");
        assertThat(doc.unresolvedProblems()).containsExactly("phrase:0:text-deleted", "mask:0:unlinked");
        assertThatThrownBy(doc::toCaption).isInstanceOf(InvalidDocumentException.class).hasMessageContaining("phrases[0]");
    }

    @Test
    void refusesControlCharactersAndSpansThatCutACharacterInHalf() {
        // "🐶🐶 A red box." (each dog two UTF-16 chars); JSON escapes, so half a dog travels as it is
        String caption = "\\ud83d\\udc36\\ud83d\\udc36 A red box.";
        String doc = "{\"caption\":\"" + caption + "\",\"phrases\":[%s],\"unlinkedMasks\":[],\"accepted\":[]}";
        assertProblem(doc.formatted("{\"start\":1,\"end\":14,\"text\":\"\\udc36\\ud83d\\udc36 A red box\","
                + "\"flagged\":false,\"masks\":[]}"), "phrases[0].start: span [1, 14) cuts the character U+1F436");
        assertProblem(doc.formatted("{\"start\":5,\"end\":15,\"text\":\"A red cat.\",\"flagged\":false,\"masks\":[]}"),
                "phrases[0].text"); // in range and on whole characters, just not the text: the old check
        assertProblem(doc.formatted("{\"start\":2,\"end\":3,\"text\":\"\\ud83d\",\"flagged\":true,\"masks\":[]}"),
                "phrases[0].start: span [2, 3) cuts");
        assertThat(EditorDocument.fromJson(doc.formatted("{\"start\":0,\"end\":14,\"text\":\"\\ud83d\\udc36\\ud83d"
                + "\\udc36 A red box\",\"flagged\":false,\"masks\":[]}")).phrases().getFirst().text())
                .isEqualTo("\uD83D\uDC36\uD83D\uDC36 A red box");

        assertProblem("{\"caption\":\"A\\u0000dog\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}",
                "caption: contains the control character U+0000 at offset 1");
        assertProblem("{\"caption\":\"A \\ud83d dog\",\"phrases\":[],\"unlinkedMasks\":[],\"accepted\":[]}",
                "caption: contains an unpaired surrogate U+D83D at offset 2");
        assertProblem(json("{\"start\":0,\"end\":0,\"text\":\"gone\\u001b\",\"flagged\":true,\"masks\":[]}"),
                "phrases[0].text: contains the control character U+001B");
        assertThat(EditorDocument.fromJson("{\"caption\":\"Tab\\tand\\nlines\\r.\",\"phrases\":[],"
                + "\"unlinkedMasks\":[],\"accepted\":[]}").caption()).isEqualTo("Tab\tand\nlines\r.");
    }

    private static void assertProblem(String json, String expected) {
        assertThatThrownBy(() -> EditorDocument.fromJson(json))
                .isInstanceOfSatisfying(InvalidDocumentException.class,
                        e -> assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(expected)));
    }

    @Property(tries = 200)
    void ofCaptionRoundTripsThroughJson(@ForAll("captions") GroundedCaption caption) {
        EditorDocument doc = EditorDocument.of(caption);

        EditorDocument read = EditorDocument.fromJson(doc.toJson());

        assertThat(read).isEqualTo(doc);
        assertThat(read.toCaption()).isEqualTo(caption);
    }

    /** The streaming count before the tree is built counts exactly the phrases and the masks, wherever they are. */
    @Property(tries = 200)
    void theLimitsCountExactlyThePhrasesAndTheMasks(@ForAll("captions") GroundedCaption caption) {
        EditorDocument doc = EditorDocument.of(caption);
        int phrases = doc.phrases().size();
        int masks = doc.unlinkedMasks().size() + doc.phrases().stream().mapToInt(p -> p.masks().size()).sum();
        String json = doc.toJson();

        assertThat(EditorDocument.fromJson(json, new DocumentLimits(Math.max(1, phrases), Math.max(1, masks))))
                .isEqualTo(doc);
        if (phrases > 1) {
            assertThatThrownBy(() -> EditorDocument.fromJson(json, new DocumentLimits(phrases - 1, Math.max(1, masks))))
                    .isInstanceOfSatisfying(InvalidDocumentException.class, e -> assertThat(e.problems())
                            .containsExactly("phrases: more than " + (phrases - 1)
                                    + " phrases in one document (setting studio.editing.max-phrases)"));
        }
        if (masks > 1) {
            assertThatThrownBy(() -> EditorDocument.fromJson(json, new DocumentLimits(Math.max(1, phrases), masks - 1)))
                    .isInstanceOfSatisfying(InvalidDocumentException.class, e -> assertThat(e.problems()).singleElement()
                            .asString().startsWith("masks: more than " + (masks - 1) + " masks"));
        }
    }

    @Provide
    Arbitrary<GroundedCaption> captions() {
        // whole characters only (the emoji is two UTF-16 chars): half of one is not a storable caption
        Arbitrary<String> text = Arbitraries.of("a", "b", " ", "\"", "\\", "é", "ü", "\n", "😀", "{", "}")
                .list().ofMinSize(1).ofMaxSize(30).map(chars -> String.join("", chars));
        Arbitrary<MaskRle> mask = Combinators.combine(Arbitraries.integers().between(1, 12),
                        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(0, 12),
                        Arbitraries.integers().between(0, 12))
                .as((h, w, x, y) -> new MaskRle(h, w,
                        Rle.fromBbox(new double[] {x, y, 3, 2}, h, w).toCompressedString()));
        return text.flatMap(caption -> {
            int length = caption.codePointCount(0, caption.length());
            Arbitrary<PhraseSpan> phrase = Combinators.combine(Arbitraries.integers().between(0, length - 1),
                            Arbitraries.integers().between(1, length), mask.list().ofMaxSize(3))
                    .as((cpStart, len, masks) -> {
                        int start = caption.offsetByCodePoints(0, cpStart);
                        int end = caption.offsetByCodePoints(0, Math.min(length, cpStart + len));
                        return new PhraseSpan(start, end, caption.substring(start, end), masks);
                    });
            return Combinators.combine(phrase.list().ofMaxSize(4), mask.list().ofMaxSize(2))
                    .as((phrases, unlinked) -> new GroundedCaption(caption, new ArrayList<>(phrases), unlinked));
        });
    }
}
