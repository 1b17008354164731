package studio.grounding.review;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import studio.grounding.annotation.Revision;

/**
 * The one check of what a review comment may point at: {@code phrase:<id>} or {@code mask:<id>}, where the id is
 * one of the stable element keys ({@link Revision#keys()}) of the revision commented on — so a comment stays with
 * its phrase or mask however the annotator later reorders, adds or deletes others.
 */
final class ReviewTargets {

    private static final Pattern TARGET = Pattern.compile("(phrase|mask):([0-9]{1,9})");

    private ReviewTargets() {
    }

    /**
     * @param field    the request field to name, e.g. {@code targets[0].target}
     * @param target   the target, null for the whole item (always fine)
     * @param revision the revision commented on, null when the item has none
     * @throws IllegalArgumentException {@code field: reason} for a malformed target or one the revision lacks
     */
    static void check(String field, String target, Revision revision) {
        if (target == null) {
            return;
        }
        Matcher m = TARGET.matcher(target);
        if (!m.matches()) {
            throw new IllegalArgumentException(field + ": \"" + target + "\" must be phrase:<id> or mask:<id>");
        }
        String kind = m.group(1);
        int key = Integer.parseInt(m.group(2));
        List<Integer> keys = revision == null ? List.of()
                : kind.equals("phrase") ? revision.keys().phrases() : revision.keys().masks();
        if (!keys.contains(key)) {
            throw new IllegalArgumentException(field + ": \"" + target + "\" is not a " + kind + " of "
                    + (revision == null ? "the item, which has no revision" : "revision #" + revision.id()
                    + (keys.isEmpty() ? " (it has none)" : " (its " + kind + "s: "
                    + keys.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")")));
        }
    }
}
