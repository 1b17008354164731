package studio.grounding.prefill;

/**
 * What queueing a pre-fill did.
 *
 * @param requestId  the request the jobs belong to
 * @param selected   items selected (the whole dataset or the given ids)
 * @param queued     jobs queued; items with human work, items an annotator has taken up and items that already
 *                   have a live job for the model version are left out
 */
public record QueuedPrefill(long requestId, int selected, int queued) {
}
