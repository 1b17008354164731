package studio.grounding.review;

import java.util.List;
import studio.grounding.annotation.Revision;

/**
 * What a submitted revision changed against the model's pre-fill (or, without one, against its parent).
 *
 * @param before   the revision compared with, null when the item has no earlier revision
 * @param after    the submitted (latest) revision
 * @param caption  the caption, word by word: same, inserted and deleted pieces in reading order
 * @param phrases  every phrase of both revisions, matched through the text diff
 * @param unlinkedBefore masks without phrase in the earlier revision
 * @param unlinkedAfter  masks without phrase in the submitted revision
 */
public record ReviewDiff(Revision before, Revision after, List<TextSegment> caption, List<PhraseChange> phrases,
                         int unlinkedBefore, int unlinkedAfter) {

    public ReviewDiff {
        caption = List.copyOf(caption);
        phrases = List.copyOf(phrases);
    }

    /** Whether the caption text changed at all. */
    public boolean textChanged() {
        return caption.stream().anyMatch(s -> s.kind() != TextSegment.Kind.SAME);
    }
}
