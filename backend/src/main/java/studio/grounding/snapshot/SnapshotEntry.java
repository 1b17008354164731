package studio.grounding.snapshot;

import studio.grounding.dataset.Split;

/** One item of a snapshot: the revision it was frozen at and the split it belongs to in the snapshot. */
public record SnapshotEntry(long itemId, long revisionId, long imageId, String fileName, Split split) {
}
