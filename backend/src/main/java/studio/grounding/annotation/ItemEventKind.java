package studio.grounding.annotation;

/** What happened to an item, as recorded in its event log. */
public enum ItemEventKind {
    /** an annotator submitted a revision */
    SUBMITTED,
    /** a reviewer accepted the submitted revision */
    ACCEPTED,
    /** a reviewer sent the item back to the annotator, with a comment */
    REJECTED,
    /** a reviewer appended a corrected revision and accepted it */
    FIXED_AND_ACCEPTED,
    /** a comment on the item, one of its phrases or one of its masks */
    COMMENTED
}
