package studio.grounding.snapshot;

import java.time.Instant;
import java.util.Map;
import studio.grounding.dataset.Split;

/**
 * An immutable, numbered freeze of a dataset's accepted items (each at the revision it had then).
 *
 * @param number        1, 2, ... per dataset
 * @param contentHash   SHA-256 over (file name, revision content hash, split) of every entry in file-name order:
 *                      two snapshots with the same hash hold the same data
 * @param itemsPerSplit items per split, every split present (0 if none)
 * @param phrases       phrases of all entries' revisions
 * @param masks         masks of all entries' revisions (linked and unlinked)
 */
public record SnapshotInfo(long id, String dataset, int number, String contentHash, int items,
                           Map<Split, Integer> itemsPerSplit, int phrases, int masks, Instant createdAt,
                           String createdBy, String note) {

    public SnapshotInfo {
        itemsPerSplit = Map.copyOf(itemsPerSplit);
    }
}
