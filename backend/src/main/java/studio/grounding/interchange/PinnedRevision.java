package studio.grounding.interchange;

import java.util.Objects;
import studio.grounding.dataset.Split;

/**
 * One record of an export of explicit revisions (a snapshot), instead of each item's latest revision.
 *
 * @param itemId     the item
 * @param revisionId the revision of that item to write
 * @param split      the split to write it under (a snapshot's split, which may differ from the image's)
 */
public record PinnedRevision(long itemId, long revisionId, Split split) {

    public PinnedRevision {
        Objects.requireNonNull(split, "split");
    }
}
