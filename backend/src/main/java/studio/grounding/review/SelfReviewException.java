package studio.grounding.review;

/** A reviewer tried to accept or reject their own submission (reviews need a second person). */
public class SelfReviewException extends IllegalStateException {

    public SelfReviewException(long itemId, String user) {
        super("reviewer: " + user + " submitted item #" + itemId + " and cannot review it; another reviewer must");
    }
}
