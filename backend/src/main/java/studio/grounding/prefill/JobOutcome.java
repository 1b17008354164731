package studio.grounding.prefill;

import java.util.List;

/**
 * What became of a submitted result.
 *
 * @param jobId      the job
 * @param status     SUCCEEDED (stored, or the same content was already the item's model revision) or SKIPPED
 *                   (the item has human work; nothing applied)
 * @param revisionId the item's model revision with this content, null when skipped
 * @param warnings   what the annotator will see (phrase not located, phrase/mask count mismatch)
 * @param note       why nothing new was stored, if so
 * @param replay     true when this answers a repeated submission: nothing was stored this time
 */
public record JobOutcome(long jobId, JobStatus status, Long revisionId, List<String> warnings, String note,
                         boolean replay) {
}
