package studio.grounding.dataset;

import java.time.OffsetDateTime;

/** An item (one image to caption) with its image and where it stands. */
public record ItemInfo(long id, long datasetId, ItemStatus status, Long latestRevisionId, OffsetDateTime updatedAt,
                       ImageInfo image) {
}
