package studio.grounding.dataset;

/** A status change the review workflow does not allow (e.g. accepting an item that was never submitted). */
public class IllegalStatusTransitionException extends IllegalStateException {

    private final ItemStatus from;
    private final ItemStatus to;

    public IllegalStatusTransitionException(long itemId, ItemStatus from, ItemStatus to) {
        super("status: item #" + itemId + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public ItemStatus from() {
        return from;
    }

    public ItemStatus to() {
        return to;
    }
}
