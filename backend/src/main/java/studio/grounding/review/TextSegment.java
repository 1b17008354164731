package studio.grounding.review;

/**
 * One piece of a word-level caption diff. Offsets are into the caption the piece is in: the submitted one for
 * {@code SAME} and {@code INSERTED}, the earlier one for {@code DELETED}.
 */
public record TextSegment(Kind kind, String text, int start, int end) {

    public enum Kind { SAME, INSERTED, DELETED }
}
