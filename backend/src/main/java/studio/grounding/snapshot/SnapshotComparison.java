package studio.grounding.snapshot;

import java.util.List;

/**
 * What changed from snapshot {@code a} to snapshot {@code b} of one dataset: items only in {@code b} (added), only
 * in {@code a} (removed), and in both at different revisions (changed). Each list is in file-name order.
 */
public record SnapshotComparison(SnapshotInfo a, SnapshotInfo b, List<ComparedItem> added, List<ComparedItem> removed,
                                 List<ComparedItem> changed, int unchanged) {

    public SnapshotComparison {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
        changed = List.copyOf(changed);
    }

    /**
     * An item as it is in either snapshot; {@code revisionA}/{@code revisionB} null where the item is not in that
     * snapshot.
     */
    public record ComparedItem(long itemId, String fileName, Long revisionA, Long revisionB) {
    }
}
