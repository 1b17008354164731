package studio.grounding.review;

/**
 * A reviewer's comment on one part of the submitted revision.
 *
 * @param target {@code phrase:<key>} or {@code mask:<key>}: the stable key of a phrase or mask of the revision
 *               ({@link studio.grounding.annotation.ElementKeys}; for a revision without stored keys its position:
 *               the phrase index, or the index in the masks, linked ones first in phrase order, then the unlinked)
 */
public record TargetComment(String target, String comment) {
}
