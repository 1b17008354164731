package studio.grounding.annotation;

import java.time.Instant;

/**
 * A user's saved, unsubmitted work on an item.
 *
 * @param baseRevisionId     the revision the user started from, null for an item that had none
 * @param documentJson       the {@link EditorDocument} as JSON
 * @param version            1 for the first save, then one more per save
 * @param conflictRevisionId set when a submit of this work found a newer revision than the base: that revision
 *                           (the user must look at both and submit again on top of it); null otherwise
 */
public record Draft(Long baseRevisionId, String documentJson, long version, Instant savedAt, Long conflictRevisionId) {

    /** Whether a submit of this work met a newer revision (the "rebased" marker). */
    public boolean inConflict() {
        return conflictRevisionId != null;
    }
}
