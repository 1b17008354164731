package studio.grounding.prefill;

import java.util.Map;

/**
 * The pre-fill jobs of one dataset, per status (every status present, zero when none).
 *
 * @param datasetId   the dataset
 * @param datasetName its name
 * @param byStatus    jobs per status
 */
public record DatasetQueue(long datasetId, String datasetName, Map<JobStatus, Long> byStatus) {

    public long count(JobStatus status) {
        return byStatus.getOrDefault(status, 0L);
    }
}
