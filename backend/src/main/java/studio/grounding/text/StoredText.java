package studio.grounding.text;

import java.util.Optional;

/**
 * What text may be stored and where a span of it may begin and end. Text may hold any Unicode character but the C0
 * control characters U+0000–U+001F (tab, line feed and carriage return excepted) and DEL U+007F: PostgreSQL cannot
 * store U+0000 in {@code text} at all, and the others are invisible in every view; nor an unpaired surrogate, which
 * has no UTF-8 form. A character offset (spans count
 * UTF-16 chars, as Java's {@link String} does) must not fall between the two halves of a surrogate pair: a span
 * ending there would store half an emoji, i.e. corrupted text.
 */
public final class StoredText {

    private StoredText() {
    }

    /**
     * Why the text may not be stored, or empty when it may (null is left to the caller's own rule).
     *
     * @return e.g. {@code contains the control character U+0000 at offset 3}
     */
    public static Optional<String> problem(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isForbidden(c)) {
                return Optional.of("contains the control character " + String.format("U+%04X", (int) c)
                        + " at offset " + i + " (control characters other than tab and line breaks cannot be stored)");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                        && Character.isLowSurrogate(text.charAt(i + 1));
                if (!paired) {
                    return Optional.of("contains an unpaired surrogate " + String.format("U+%04X", (int) c)
                            + " at offset " + i + " (half a character; it cannot be stored as UTF-8)");
                }
                i++;
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses text that may not be stored.
     *
     * @param field the field to name in the error, e.g. {@code comment}
     * @throws IllegalArgumentException {@code field: reason}
     */
    public static String require(String field, String text) {
        problem(text).ifPresent(reason -> {
            throw new IllegalArgumentException(field + ": " + reason);
        });
        return text;
    }

    /** Whether {@code offset} falls between a high and a low surrogate of {@code text} (half a code point). */
    public static boolean cutsSurrogatePair(String text, int offset) {
        return offset > 0 && offset < text.length()
                && Character.isHighSurrogate(text.charAt(offset - 1)) && Character.isLowSurrogate(text.charAt(offset));
    }

    /**
     * Why the span {@code [start, end)} of {@code text} (already known to be in range) cuts a code point in half, or
     * empty when both ends fall between code points.
     */
    public static Optional<String> spanProblem(String text, int start, int end) {
        for (int offset : new int[] {start, end}) {
            if (cutsSurrogatePair(text, offset)) {
                return Optional.of("span [" + start + ", " + end + ") cuts the character " + String.format("U+%X",
                        text.codePointAt(offset - 1)) + " at offset " + offset
                        + " in half (offsets count UTF-16 chars; a character outside the BMP, an emoji, takes two)");
            }
        }
        return Optional.empty();
    }

    private static boolean isForbidden(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F;
    }
}
