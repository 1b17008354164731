package studio.grounding.annotation;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import studio.grounding.dataset.ItemStatus;

/**
 * What the editor needs when it opens an item.
 *
 * @param editable     whether this user holds the item's lock and may edit; false when another user holds a live
 *                     lock, or the item is SUBMITTED / ACCEPTED and the user is not a reviewer
 * @param lockHolder   who holds the lock (this user when editable), null when nobody does
 * @param lockedSince  since when the holder holds it, null when nobody does
 * @param base         the item's latest revision, null for an item without any
 * @param draft        this user's draft of the item
 * @param prefill      the item's latest model revision (to compare with)
 * @param openComments the reviewer's comments since the item was last submitted
 */
public record EditSession(long itemId, boolean editable, String lockHolder, Instant lockedSince, Revision base,
                          Optional<Draft> draft, Optional<Revision> prefill, ItemStatus status,
                          List<ReviewComment> openComments) {
}
