package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds phrases in a caption when a format stores phrase texts without offsets (GLaMM predictions, COCO GCG labels).
 *
 * <p>{@link #locate(String)} takes the first occurrence, left to right, that does not overlap a span already taken
 * by an earlier call. Among those, an occurrence on word boundaries is preferred ({@code "man"} is not taken from
 * inside {@code "woman"} when a standalone {@code "man"} follows), then any exact occurrence, then a case-insensitive
 * one. Offsets are Java string (UTF-16) indices, end exclusive.
 *
 * <p>Instances are stateful and not thread-safe: create one per caption.
 */
public final class PhraseLocator {

    /** A located span {@code [start, end)} of the caption. */
    public record Span(int start, int end) {
    }

    private final String caption;
    private final List<Span> taken = new ArrayList<>();

    /** A locator for one caption, with no span taken yet. */
    public PhraseLocator(String caption) {
        this.caption = caption;
    }

    /**
     * Locates {@code phrase} at its first unused occurrence and marks that span as used.
     *
     * @return the span, or empty when the phrase is blank or has no unused occurrence
     */
    public Optional<Span> locate(String phrase) {
        if (phrase == null || phrase.isBlank()) {
            return Optional.empty();
        }
        Span found = find(phrase, false, true);
        if (found == null) {
            found = find(phrase, false, false);
        }
        if (found == null) {
            found = find(phrase, true, true);
        }
        if (found == null) {
            found = find(phrase, true, false);
        }
        if (found != null) {
            taken.add(found);
        }
        return Optional.ofNullable(found);
    }

    /**
     * The first case-insensitive occurrence of {@code phrase}, used or not: how GLaMM's RefCOCOg loader finds a
     * referring sentence ({@code caption.lower().find(phrase)}). Does not mark anything as used.
     */
    public static Optional<Span> firstIgnoreCase(String caption, String phrase) {
        if (phrase == null || phrase.isEmpty()) {
            return Optional.empty();
        }
        for (int i = 0; i + phrase.length() <= caption.length(); i++) {
            if (caption.regionMatches(true, i, phrase, 0, phrase.length())) {
                return Optional.of(new Span(i, i + phrase.length()));
            }
        }
        return Optional.empty();
    }

    private Span find(String phrase, boolean ignoreCase, boolean wholeWord) {
        int n = phrase.length();
        for (int i = 0; i + n <= caption.length(); i++) {
            if (!caption.regionMatches(ignoreCase, i, phrase, 0, n)) {
                continue;
            }
            Span s = new Span(i, i + n);
            if (overlapsTaken(s) || (wholeWord && !onWordBoundaries(s))) {
                continue;
            }
            return s;
        }
        return null;
    }

    private boolean overlapsTaken(Span s) {
        for (Span t : taken) {
            if (s.start() < t.end() && t.start() < s.end()) {
                return true;
            }
        }
        return false;
    }

    private boolean onWordBoundaries(Span s) {
        boolean startOk = s.start() == 0 || !isWordChar(caption.charAt(s.start() - 1))
                || !isWordChar(caption.charAt(s.start()));
        boolean endOk = s.end() == caption.length() || !isWordChar(caption.charAt(s.end()))
                || !isWordChar(caption.charAt(s.end() - 1));
        return startOk && endOk;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c);
    }
}
