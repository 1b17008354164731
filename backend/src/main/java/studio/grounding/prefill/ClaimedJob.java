package studio.grounding.prefill;

import java.time.OffsetDateTime;

/**
 * A job a worker has claimed, with what it needs to run it.
 *
 * @param jobId            the job
 * @param leaseToken       the token of this claim: renew, result and failure must present it
 * @param leaseExpiresAt   when the lease runs out unless renewed
 * @param attempt          which attempt this is (1 for the first)
 * @param itemId           the item to pre-fill
 * @param imageHash        SHA-256 of the image bytes ({@code GET /media/images/{hash}})
 * @param imageBytes       size of the image file
 * @param mediaType        media type of the image file
 * @param imageWidth       image width in pixels: every mask must have it
 * @param imageHeight      image height in pixels
 * @param modelVersionId   the model version to run
 * @param modelVersionName its name
 * @param worker           the worker of this claim ({@code account} or {@code account/instance}): renew, result,
 *                         failure and release are accepted only from the same worker account
 */
public record ClaimedJob(long jobId, String leaseToken, OffsetDateTime leaseExpiresAt, int attempt, long itemId,
                         String imageHash, long imageBytes, String mediaType, int imageWidth, int imageHeight,
                         long modelVersionId, String modelVersionName, String worker) {
}
