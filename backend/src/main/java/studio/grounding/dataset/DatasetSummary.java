package studio.grounding.dataset;

import java.time.OffsetDateTime;
import java.util.Map;

/** A dataset with its progress: how many items are in each status. */
public record DatasetSummary(long id, String name, String description, OffsetDateTime createdAt,
                             Map<ItemStatus, Long> itemsByStatus) {

    public long itemCount() {
        return itemsByStatus.values().stream().mapToLong(Long::longValue).sum();
    }
}
