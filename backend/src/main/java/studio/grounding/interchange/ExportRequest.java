package studio.grounding.interchange;

import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Set;
import studio.grounding.dataset.ItemStatus;
import studio.grounding.dataset.Split;

/**
 * What to export: a dataset's items that have a revision, optionally only some statuses, splits, or those changed
 * since a time.
 */
public record ExportRequest(String dataset, Set<ItemStatus> statuses, Set<Split> splits, OffsetDateTime changedSince) {

    public ExportRequest {
        Objects.requireNonNull(dataset, "dataset");
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        splits = splits == null ? Set.of() : Set.copyOf(splits);
    }

    public static ExportRequest all(String dataset) {
        return new ExportRequest(dataset, Set.of(), Set.of(), null);
    }
}
