package studio.grounding.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Which text may be stored, and where a span may begin and end. */
class StoredTextTest {

    @Test
    void refusesC0ControlsAndDelButNotTabsLineBreaksOrAnyOtherCharacter() {
        for (char c = 0; c < 0x20; c++) {
            boolean allowed = c == '\t' || c == '\n' || c == '\r';
            assertThat(StoredText.problem("a" + c + "b").isEmpty()).as("U+%04X", (int) c).isEqualTo(allowed);
        }
        assertThat(StoredText.problem("a\u007Fb")).hasValueSatisfying(r -> assertThat(r).contains("U+007F at offset 1"));
        assertThat(StoredText.problem("A dog 🐶, café, 日本, \u00A0, \u200B.")).isEmpty();
        assertThat(StoredText.problem(null)).isEmpty();
        assertThatThrownBy(() -> StoredText.require("comment", "x\u0000"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("comment: contains the control character U+0000");
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertThat(StoredText.problem("a\uD83D")).hasValueSatisfying(r -> assertThat(r).contains("unpaired surrogate U+D83D at offset 1"));
        assertThat(StoredText.problem("\uDC36a")).hasValueSatisfying(r -> assertThat(r).contains("U+DC36 at offset 0"));
        assertThat(StoredText.problem("\uDC36\uD83D")).isPresent();
        assertThat(StoredText.problem("\uD83D\uDC36")).isEmpty();
    }

    @Test
    void aSpanMayNotEndOrBeginInsideASurrogatePair() {
        String caption = "\uD83D\uDC36\uD83D\uDC36 A red box"; // "🐶🐶 A red box"
        assertThat(StoredText.spanProblem(caption, 1, 14)).hasValueSatisfying(r -> assertThat(r)
                .contains("span [1, 14) cuts the character U+1F436 at offset 1"));
        assertThat(StoredText.spanProblem(caption, 0, 3)).isPresent();
        assertThat(StoredText.spanProblem(caption, 0, 2)).isEmpty();
        assertThat(StoredText.spanProblem(caption, 2, 14)).isEmpty();
        assertThat(StoredText.spanProblem(caption, 0, caption.length())).isEmpty();
    }

    /** Storable text survives UTF-8 (what PostgreSQL stores) unchanged; text that does not is refused. */
    @Property(tries = 500)
    void storableTextRoundTripsThroughUtf8(@ForAll("texts") String text) {
        String back = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        boolean hasControl = text.chars().anyMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
        if (StoredText.problem(text).isEmpty()) {
            assertThat(back).isEqualTo(text);
            assertThat(hasControl).isFalse();
        } else {
            assertThat(hasControl || !back.equals(text)).as("refused for a reason").isTrue();
        }
    }

    /** A span passes exactly when both ends fall on code point boundaries: then its text survives UTF-8. */
    @Property(tries = 500)
    void aSpanPassesExactlyWhenItsTextIsWholeCharacters(@ForAll("texts") String text, @ForAll int a, @ForAll int b) {
        if (text.isEmpty()) {
            return;
        }
        int start = Math.floorMod(a, text.length());
        int end = start + Math.floorMod(b, text.length() - start) + 1;
        boolean onBoundaries = !StoredText.cutsSurrogatePair(text, start) && !StoredText.cutsSurrogatePair(text, end);
        assertThat(StoredText.spanProblem(text, start, end).isEmpty()).isEqualTo(onBoundaries);
        if (StoredText.problem(text).isEmpty() && onBoundaries) {
            String span = text.substring(start, end);
            assertThat(new String(span.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(span);
            assertThat(span.codePoints().count()).isEqualTo(text.codePointCount(start, end));
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab \t\n\u0000\u0007\u007F\uD83D\uDC36é"),
                Arbitraries.strings().ofMaxLength(30).map(s -> s + "\uD83D\uDC36"),
                Arbitraries.strings().all().ofMaxLength(30));
    }
}
