package studio.grounding.annotation;

import java.time.Instant;

/** Another user holds the item's lock now: this user's edit or save was not applied. */
public class LockLostException extends IllegalStateException {

    private final String holder;
    private final Instant since;
    private final boolean workKept;

    public LockLostException(long itemId, String holder, Instant since) {
        this(itemId, holder, since, false);
    }

    /** @param workKept whether the refused submit's document was kept as the user's draft */
    public LockLostException(long itemId, String holder, Instant since, boolean workKept) {
        super("lock: item #" + itemId + " is being edited by " + holder + " since " + since
                + (workKept ? "; your work was kept as your draft" : ""));
        this.holder = holder;
        this.since = since;
        this.workKept = workKept;
    }

    /** Whether the user's document was kept as their draft (a submit refused for the lock). */
    public boolean workKept() {
        return workKept;
    }

    public String holder() {
        return holder;
    }

    public Instant since() {
        return since;
    }
}
