package studio.grounding.annotation;

import java.time.Instant;

/**
 * A reviewer's comment the annotator has to see: made since the item was last submitted.
 *
 * @param target {@code phrase:<i>} or {@code mask:<j>} (indices into the submitted revision: phrase order, and
 *               masks numbered as in {@link GroundedCaption#allMasks()}), or null for the whole item
 */
public record ReviewComment(long eventId, ItemEventKind kind, String author, String target, String comment,
                            Instant createdAt) {
}
