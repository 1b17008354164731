package studio.grounding.evaluation;

/**
 * Where an evaluation's ground truth comes from: (a) a snapshot's test split, (b) without a snapshot, the dataset's
 * current ACCEPTED items of split {@code test} with their latest HUMAN revision.
 */
interface GroundTruthSource {

    /**
     * The ground truth of a dataset.
     *
     * @param snapshotNumber the snapshot to read, or null for the dataset's current accepted items
     * @throws IllegalArgumentException for an unknown snapshot
     */
    GroundTruth load(long datasetId, String datasetName, Integer snapshotNumber);
}
