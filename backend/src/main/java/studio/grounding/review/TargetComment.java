package studio.grounding.review;

/**
 * A reviewer's comment on one part of the submitted revision.
 *
 * @param target {@code phrase:<i>} (phrase index) or {@code mask:<j>} (index in the revision's masks, linked ones
 *               first in phrase order, then the unlinked ones)
 */
public record TargetComment(String target, String comment) {
}
