package studio.grounding.annotation;

import java.time.OffsetDateTime;
import java.util.List;

/** One stored state of an item's grounded caption. Revisions are never changed once written. */
public record Revision(long id, long itemId, Long parentId, Origin origin, String author, Long modelVersionId,
                       String contentHash, String source, List<String> warnings, OffsetDateTime createdAt,
                       GroundedCaption caption) {
}
