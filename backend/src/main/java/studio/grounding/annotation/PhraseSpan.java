package studio.grounding.annotation;

import java.util.List;
import java.util.Objects;

/**
 * A phrase of a caption: the character span {@code [start, end)} (end exclusive), its text, and its instance masks.
 * A phrase may have no mask (a GLaMM output with fewer masks than phrases); the annotator sees that.
 */
public record PhraseSpan(int start, int end, String text, List<MaskRle> masks) {

    public PhraseSpan {
        Objects.requireNonNull(text, "text");
        masks = List.copyOf(masks);
    }
}
