package studio.grounding.dataset;

/** Where an item is in its life: NEW → PREFILLED → IN_PROGRESS → SUBMITTED → ACCEPTED or REJECTED. */
public enum ItemStatus {
    NEW, PREFILLED, IN_PROGRESS, SUBMITTED, ACCEPTED, REJECTED
}
