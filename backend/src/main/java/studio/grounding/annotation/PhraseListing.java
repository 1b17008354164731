package studio.grounding.annotation;

import java.util.List;
import java.util.Objects;

/**
 * How a source file listed a caption's phrases and masks, when that differs from what a {@link GroundedCaption} can
 * hold: GLaMM's prediction files list {@code phrases} and {@code pred_masks} in an order evaluate.py uses as is
 * (phrase i with mask i), which need not be caption order, and may name a phrase its caption does not contain; a COCO
 * GCG caption file lists {@code labels} as written ("the man" for the caption's "The man"). The revision's caption
 * keeps the located phrases in caption order; this keeps the listing, for evaluation and for writing the file back.
 *
 * @param phrases   the phrase texts as listed
 * @param maskOrder for each listed mask, its index in the revision's {@link GroundedCaption#allMasks()}
 */
public record PhraseListing(List<String> phrases, List<Integer> maskOrder) {

    public PhraseListing {
        phrases = List.copyOf(phrases);
        maskOrder = List.copyOf(maskOrder);
    }

    /** The listed masks of {@code caption} (the revision this listing belongs to), in listed order. */
    public List<MaskRle> masks(GroundedCaption caption) {
        Objects.requireNonNull(caption, "caption");
        List<MaskRle> all = caption.allMasks();
        return maskOrder.stream().map(all::get).toList();
    }
}
