package studio.grounding.annotation;

import java.time.Instant;

/** Another user holds the item's lock now: this user's edit or save was not applied. */
public class LockLostException extends IllegalStateException {

    private final String holder;
    private final Instant since;

    public LockLostException(long itemId, String holder, Instant since) {
        super("lock: item #" + itemId + " is being edited by " + holder + " since " + since);
        this.holder = holder;
        this.since = since;
    }

    public String holder() {
        return holder;
    }

    public Instant since() {
        return since;
    }
}
