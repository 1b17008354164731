package studio.grounding.annotation;

import java.time.OffsetDateTime;

/** A revision in an item's history, without its content. */
public record RevisionSummary(long id, Long parentId, Origin origin, String author, Long modelVersionId,
                              String contentHash, OffsetDateTime createdAt, int phraseCount, int maskCount) {
}
