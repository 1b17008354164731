package studio.grounding.review;

import java.util.List;
import studio.grounding.annotation.ReviewComment;
import studio.grounding.dataset.ItemStatus;

/**
 * An item in a user's queue.
 *
 * @param reason   why it is in the queue
 * @param caption  the latest revision's caption, null for an item without one
 * @param comments the reviewer's open comments (for a rejected item)
 */
public record QueueEntry(long itemId, long datasetId, String datasetName, String fileName, ItemStatus status,
                         Reason reason, String caption, List<ReviewComment> comments) {

    public enum Reason {
        /** the user's submission came back from review */
        REJECTED,
        /** the user has started it (holds a draft or the lock) */
        IN_PROGRESS,
        /** nobody works on it yet */
        TO_DO,
        /** submitted and waiting for a reviewer (the reviewers' queue) */
        TO_REVIEW
    }

    public QueueEntry {
        comments = List.copyOf(comments);
    }
}
