package studio.grounding.evaluation;

import java.util.List;

/**
 * The ground truth of an evaluation: the human-accepted test split of a dataset, either as it is now or as a
 * snapshot froze it.
 *
 * @param snapshotId     the snapshot's id, or null for the dataset's current accepted items
 * @param snapshotNumber the snapshot's number within its dataset, or null
 * @param items          the items with their accepted revisions, in item order
 * @param skipped        accepted test items left out, each with the reason (e.g. no human revision)
 */
record GroundTruth(Long snapshotId, Integer snapshotNumber, List<GroundTruthItem> items, List<String> skipped) {

    GroundTruth {
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
    }
}
