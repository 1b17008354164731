package studio.grounding.evaluation;

/**
 * How far the human version of one item moved from a model version's pre-fill.
 *
 * @param prefillRevisionId the model version's pre-fill revision
 * @param finalRevisionId   the latest human revision after it (the submitted or accepted one)
 * @param captionCharEdits  Levenshtein distance of the captions in characters
 * @param captionWordEdits  Levenshtein distance of the captions in whitespace-separated words
 * @param phrasesAdded      final phrases with no pre-fill counterpart
 * @param phrasesRemoved    pre-fill phrases with no final counterpart
 * @param phrasesRespanned  phrases kept, but with other span boundaries (after following the caption's edits)
 * @param masksRedrawn      final masks whose IoU with the best-matching pre-fill mask is below 0.99, or that are new
 * @param meanMaskIou       mean over final masks of the IoU with their best-matching pre-fill mask (0 for a new
 *                          mask); null when the final version has no mask
 * @param seconds           time spent on the item, or null if unknown
 * @param timeSource        {@code active} (the editor's {@code activeSeconds} timings, summed over the human
 *                          revisions after the pre-fill) or {@code wall} (wall time from the pre-fill to the first
 *                          human revision: an upper bound that includes waiting in the queue)
 */
public record ItemEffort(long itemId, String fileName, long prefillRevisionId, long finalRevisionId,
                         int captionCharEdits, int captionWordEdits, int phrasesAdded, int phrasesRemoved,
                         int phrasesRespanned, int masksRedrawn, Double meanMaskIou, Double seconds,
                         String timeSource) {

    /** Final masks redrawn below this IoU with their best pre-fill mask. */
    public static final double REDRAWN_BELOW = 0.99;
}
