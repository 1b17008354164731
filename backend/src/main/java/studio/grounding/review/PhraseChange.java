package studio.grounding.review;

import java.util.List;

/**
 * How one phrase changed between the earlier revision and the submitted one.
 *
 * @param beforeIndex the phrase's index in the earlier revision, null for an added phrase
 * @param afterIndex  the phrase's index in the submitted revision, null for a removed phrase
 * @param before      the earlier text, null for an added phrase
 * @param after       the submitted text, null for a removed phrase
 * @param masks       its masks matched by IoU (for a matched phrase), or all added / removed
 */
public record PhraseChange(Kind kind, Integer beforeIndex, Integer afterIndex, String before, String after,
                           List<MaskChange> masks) {

    public enum Kind { UNCHANGED, RESPANNED, ADDED, REMOVED }

    public PhraseChange {
        masks = List.copyOf(masks);
    }

    /** Whether any mask of the phrase was added, removed or changed. */
    public boolean masksChanged() {
        return masks.stream().anyMatch(m -> m.kind() != MaskChange.Kind.UNCHANGED);
    }
}
