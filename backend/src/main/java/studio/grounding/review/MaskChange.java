package studio.grounding.review;

/**
 * How one mask of a phrase changed: matched by best IoU between the earlier and the submitted masks of the phrase.
 *
 * @param beforeIndex index among the earlier phrase's masks, null for an added mask
 * @param afterIndex  index among the submitted phrase's masks, null for a removed mask
 * @param iou         intersection over union of the two masks (0 for an added or removed one)
 */
public record MaskChange(Kind kind, Integer beforeIndex, Integer afterIndex, double iou) {

    public enum Kind { UNCHANGED, CHANGED, ADDED, REMOVED }
}
