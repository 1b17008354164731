package studio.grounding.annotation;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The stable identities of a caption's phrases and masks: numbers carried from revision to revision, so that colours
 * and review comments ({@code phrase:<key>}, {@code mask:<key>}) follow a phrase or mask whatever is added, deleted
 * or re-ordered around it. A caption read without keys (an import, a model output, anything older than issue 14)
 * gets its positions as keys: phrase i is {@code i}, the j-th mask of {@link GroundedCaption#allMasks()} is {@code j}.
 *
 * @param phrases one key per phrase, in phrase order, distinct, not negative
 * @param masks   one key per mask in {@link GroundedCaption#allMasks()} order (linked ones in phrase order, then
 *                the unlinked ones), distinct, not negative
 */
public record ElementKeys(List<Integer> phrases, List<Integer> masks) {

    public ElementKeys {
        phrases = List.copyOf(phrases);
        masks = List.copyOf(masks);
        requireDistinct(phrases, "phrase");
        requireDistinct(masks, "mask");
    }

    /** The keys of a caption without stored keys: the positions. */
    public static ElementKeys byPosition(GroundedCaption caption) {
        return byPosition(caption.phrases().size(), caption.allMasks().size());
    }

    public static ElementKeys byPosition(int phrases, int masks) {
        return new ElementKeys(IntStream.range(0, phrases).boxed().toList(), IntStream.range(0, masks).boxed().toList());
    }

    /** Whether these keys fit the caption: one per phrase and one per mask. */
    public boolean fits(GroundedCaption caption) {
        return phrases.size() == caption.phrases().size() && masks.size() == caption.allMasks().size();
    }

    /** The key of the {@code index}-th mask of the phrase at {@code phrase} (-1: the unlinked ones). */
    public int maskKey(GroundedCaption caption, int phrase, int index) {
        int offset = 0;
        if (phrase < 0) {
            for (PhraseSpan p : caption.phrases()) {
                offset += p.masks().size();
            }
        } else {
            for (int i = 0; i < phrase; i++) {
                offset += caption.phrases().get(i).masks().size();
            }
        }
        return masks.get(offset + index);
    }

    private static void requireDistinct(List<Integer> keys, String what) {
        var seen = new HashSet<Integer>();
        for (Integer k : keys) {
            if (k == null || k < 0) {
                throw new IllegalArgumentException(what + " key " + k + ": keys are numbers from 0");
            }
            if (!seen.add(k)) {
                throw new IllegalArgumentException(what + " key " + k + " is given twice");
            }
        }
    }
}
