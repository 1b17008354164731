package studio.grounding.prefill;

import java.time.OffsetDateTime;

/** A pre-fill job as the curator sees it. */
public record JobInfo(long id, long requestId, long itemId, long modelVersionId, JobStatus status, int attempts,
                      int maxAttempts, String worker, OffsetDateTime leaseExpiresAt, String lastError, String note,
                      Long revisionId, OffsetDateTime createdAt, OffsetDateTime finishedAt) {
}
