package studio.grounding.review;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import studio.grounding.annotation.Revision;

/**
 * The one check of what a review comment may point at: {@code phrase:<i>} with {@code i} below the revision's phrase
 * count, or {@code mask:<j>} with {@code j} below its mask count (masks numbered as in
 * {@link studio.grounding.annotation.GroundedCaption#allMasks()}).
 */
final class ReviewTargets {

    private static final Pattern TARGET = Pattern.compile("(phrase|mask):([0-9]{1,9})");

    private ReviewTargets() {
    }

    /**
     * @param field    the request field to name, e.g. {@code targets[0].target}
     * @param target   the target, null for the whole item (always fine)
     * @param revision the revision commented on, null when the item has none
     * @throws IllegalArgumentException {@code field: reason} for a malformed target or one beyond the revision
     */
    static void check(String field, String target, Revision revision) {
        if (target == null) {
            return;
        }
        Matcher m = TARGET.matcher(target);
        if (!m.matches()) {
            throw new IllegalArgumentException(field + ": \"" + target + "\" must be phrase:<index> or mask:<index>");
        }
        int index = Integer.parseInt(m.group(2));
        boolean phrase = m.group(1).equals("phrase");
        int count = revision == null ? 0 : phrase ? revision.caption().phrases().size()
                : revision.caption().allMasks().size();
        if (index >= count) {
            throw new IllegalArgumentException(field + ": \"" + target + "\" is beyond the " + count + " "
                    + (phrase ? "phrase" : "mask") + (count == 1 ? "" : "s") + " of "
                    + (revision == null ? "the item, which has no revision" : "revision #" + revision.id()));
        }
    }
}
