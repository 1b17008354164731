package studio.grounding.evaluation;

import java.time.OffsetDateTime;

/**
 * A stored evaluation of a model version on a dataset's human-accepted test split.
 *
 * @param snapshotId             the snapshot scored against, or null for the dataset's accepted items at that time
 * @param snapshotNumber         that snapshot's number, or null
 * @param recallSimilarity       the text similarity recall was computed with
 * @param recallOfficial         whether that is GLaMM's (bert-base-uncased); false: recall is NOT the official number
 * @param recallLabel            how to label recall wherever it is shown: {@link #label(String, boolean)}
 * @param itemsEvaluated         ground-truth items scored
 * @param itemsMissingPrediction of those, items the model version has no revision for (scored as an empty
 *                               prediction: no caption, no masks)
 */
public record Evaluation(long id, long modelVersionId, String modelVersion, long datasetId, String dataset,
                         Long snapshotId, Integer snapshotNumber, String recallSimilarity, boolean recallOfficial,
                         String recallLabel, int itemsEvaluated, int itemsMissingPrediction, EvaluationMetrics metrics,
                         OffsetDateTime createdAt, String createdBy) {

    /** "official: NAME", or "fallback: NAME, not the official number". */
    public static String label(String similarity, boolean official) {
        return official ? "official: " + similarity : "fallback: " + similarity + ", not the official number";
    }
}
