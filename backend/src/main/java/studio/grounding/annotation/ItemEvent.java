package studio.grounding.annotation;

import java.time.Instant;

/**
 * One entry of an item's append-only event log.
 *
 * @param revisionId the revision the event is about (the submitted or fixed one), may be null
 * @param comment    the author's comment, may be null
 * @param target     what the comment is about: {@code phrase:<i>} or {@code mask:<j>}, null for the whole item
 */
public record ItemEvent(long id, long itemId, ItemEventKind kind, String author, Long revisionId, String comment,
                        String target, Instant createdAt) {
}
