package studio.grounding.assist;

/** What the editor asks a worker for. */
public enum AssistKind {
    /** Points (+/−), a box and optionally the current mask → SAM's masks with their predicted IoU. */
    SEGMENT,
    /** A phrase → its mask(s), GLaMM's "Can you segment the {phrase} in this image?". */
    SEGMENT_PHRASE,
    /** A box → a caption of that region. */
    DESCRIBE_REGION
}
