package studio.grounding.prefill;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * The state of the pre-fill queue.
 *
 * @param byStatus        jobs per status
 * @param oldestQueuedAt  when the oldest queued job was queued, null if none is
 * @param expiredLeases   running jobs whose lease ran out (reclaimed on the next claim)
 * @param perModel        per model version: its jobs per status and its throughput
 * @param failed          the most recently parked jobs with their errors (at most 100)
 */
public record PrefillStats(Map<JobStatus, Long> byStatus, OffsetDateTime oldestQueuedAt, long expiredLeases,
                           List<ModelStats> perModel, List<JobInfo> failed) {

    /**
     * @param finishedLastHour    jobs finished (succeeded or skipped) in the last hour
     * @param perMinuteLast15Min  finished jobs per minute over the last 15 minutes
     * @param meanRunMillis       mean time from claim to result of the jobs finished in the last hour, null if none
     * @param perMinuteLastHour   finished jobs per minute over the last hour
     * @param meanStageMillis     per pipeline stage (as the worker reported it), the mean milliseconds over the jobs
     *                            that stored a revision in the last hour; empty if none
     */
    public record ModelStats(long modelVersionId, String modelVersionName, Map<JobStatus, Long> byStatus,
                             long finishedLastHour, double perMinuteLast15Min, Double meanRunMillis,
                             double perMinuteLastHour, Map<String, Double> meanStageMillis) {
    }
}
