package studio.grounding.annotation;

import java.util.List;

/** What became of a submit. */
public sealed interface SubmitResult {

    /** Stored: the new HUMAN revision; the item is SUBMITTED, the draft removed and the lock released. */
    record Submitted(Revision revision) implements SubmitResult {
    }

    /**
     * The item has a newer revision than the one the user started from: nothing was overwritten; the user's work
     * was kept as their draft (marked with {@code theirs}) and both are returned.
     */
    record Conflict(Revision theirs, Draft mine) implements SubmitResult {
    }

    /** Refused: every problem as {@code field: reason}; nothing was stored. */
    record Rejected(List<String> problems) implements SubmitResult {
        public Rejected {
            problems = List.copyOf(problems);
        }
    }
}
