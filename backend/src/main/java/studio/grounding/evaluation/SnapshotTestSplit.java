package studio.grounding.evaluation;

import java.util.List;
import org.springframework.stereotype.Component;
import studio.grounding.dataset.Split;
import studio.grounding.snapshot.SnapshotInfo;
import studio.grounding.snapshot.SnapshotService;

/**
 * Ground truth from a snapshot: the entries of its (pinned) test split, each at the revision the snapshot froze,
 * which is the accepted version whatever its origin.
 */
@Component
class SnapshotTestSplit implements GroundTruthSource {

    private final SnapshotService snapshots;

    SnapshotTestSplit(SnapshotService snapshots) {
        this.snapshots = snapshots;
    }

    /** @throws studio.grounding.snapshot.UnknownSnapshotException for an unknown snapshot number */
    @Override
    public GroundTruth load(long datasetId, String datasetName, Integer snapshotNumber) {
        SnapshotInfo snapshot = snapshots.get(datasetName, snapshotNumber);
        List<GroundTruthItem> items = snapshots.entries(snapshot.id(), Split.TEST).stream()
                .map(e -> new GroundTruthItem(e.itemId(), e.revisionId(), e.fileName()))
                .sorted(java.util.Comparator.comparingLong(GroundTruthItem::itemId))
                .toList();
        return new GroundTruth(snapshot.id(), snapshot.number(), items, List.of());
    }
}
