package studio.grounding.dataset;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an item is in its life: NEW → PREFILLED → IN_PROGRESS → SUBMITTED → ACCEPTED or REJECTED, and a rejected
 * item back to IN_PROGRESS when the annotator edits it again.
 */
public enum ItemStatus {
    NEW, PREFILLED, IN_PROGRESS, SUBMITTED, ACCEPTED, REJECTED;

    /**
     * Whether the review workflow may move an item from this status to {@code next}. A model pre-fill may replace
     * an earlier one (PREFILLED → PREFILLED) and a reviewer's fix of an accepted item keeps it ACCEPTED; everything
     * else must follow the arrows above.
     */
    public boolean canMoveTo(ItemStatus next) {
        return successors().contains(next);
    }

    private Set<ItemStatus> successors() {
        return switch (this) {
            case NEW -> EnumSet.of(PREFILLED, IN_PROGRESS);
            case PREFILLED -> EnumSet.of(PREFILLED, IN_PROGRESS);
            case IN_PROGRESS -> EnumSet.of(IN_PROGRESS, SUBMITTED);
            case SUBMITTED -> EnumSet.of(ACCEPTED, REJECTED);
            case ACCEPTED -> EnumSet.of(ACCEPTED);
            case REJECTED -> EnumSet.of(IN_PROGRESS);
        };
    }
}
