package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseListing;
import studio.grounding.annotation.PhraseSpan;

/** Builds a file's own {@link PhraseListing} of a record (its phrase texts and masks in the file's order). */
final class SourceListing {

    private SourceListing() {
    }

    /**
     * The listing of {@code phrases} and {@code masks} as the file had them, as indices into the caption's masks:
     * the caption holds the same mask objects, sorted into caption order, unlocatable phrases' masks unlinked.
     *
     * @return the listing, or null when the caption says the same by itself (one phrase text per mask, equal to
     *         the phrase's caption text, in caption order, every mask linked): nothing needs storing then
     */
    static PhraseListing of(List<String> phrases, List<MaskRle> masks, GroundedCaption caption) {
        List<MaskRle> all = caption.allMasks();
        List<Integer> order = new ArrayList<>(masks.size());
        boolean[] used = new boolean[all.size()];
        for (MaskRle m : masks) {
            int at = -1;
            for (int k = 0; k < all.size() && at < 0; k++) {
                if (all.get(k) == m && !used[k]) { // the same instance: equal masks stay apart
                    at = k;
                }
            }
            if (at < 0) {
                throw new IllegalStateException("a listed mask is not in the caption");
            }
            used[at] = true;
            order.add(at);
        }
        return derivable(phrases, order, caption) ? null : new PhraseListing(phrases, order);
    }

    private static boolean derivable(List<String> phrases, List<Integer> order, GroundedCaption caption) {
        if (!caption.unlinkedMasks().isEmpty() || order.size() != caption.allMasks().size()) {
            return false;
        }
        for (int k = 0; k < order.size(); k++) {
            if (order.get(k) != k) {
                return false;
            }
        }
        List<String> perMask = new ArrayList<>();
        for (PhraseSpan p : caption.phrases()) {
            if (p.masks().isEmpty()) {
                return false;
            }
            p.masks().forEach(m -> perMask.add(p.text()));
        }
        return perMask.equals(phrases);
    }
}
