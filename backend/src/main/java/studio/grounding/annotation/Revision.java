package studio.grounding.annotation;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * One stored state of an item's grounded caption. Revisions are never changed once written. {@code keys} are the
 * stable identities of its phrases and masks ({@link ElementKeys}), never null.
 */
public record Revision(long id, long itemId, Long parentId, Origin origin, String author, Long modelVersionId,
                       String contentHash, String source, List<String> warnings, OffsetDateTime createdAt,
                       GroundedCaption caption, ElementKeys keys) {

    public Revision {
        if (keys == null) {
            keys = ElementKeys.byPosition(caption);
        }
    }

    /** A revision whose phrases and masks are keyed by their positions. */
    public Revision(long id, long itemId, Long parentId, Origin origin, String author, Long modelVersionId,
                    String contentHash, String source, List<String> warnings, OffsetDateTime createdAt,
                    GroundedCaption caption) {
        this(id, itemId, parentId, origin, author, modelVersionId, contentHash, source, warnings, createdAt, caption,
                null);
    }
}
