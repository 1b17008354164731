package studio.grounding.interchange;

/**
 * Caption string helpers that mirror what GLaMM's Python loaders do.
 *
 * <p>Files store spans as Python string offsets, i.e. Unicode code points; Java strings index UTF-16 units.
 * The two differ only when the caption contains characters outside the BMP (emoji), but then they must be converted.
 */
final class CaptionText {

    private CaptionText() {
    }

    /** Result of {@code caption.strip('"').strip()}: the text and how many code points were removed in front. */
    record Stripped(String text, int leadingCodePoints) {
    }

    /** Python's {@code caption.strip('"').strip()}, as the GranD_f loaders normalise captions. */
    static Stripped loaderStrip(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && raw.charAt(start) == '"') {
            start++;
        }
        while (end > start && raw.charAt(end - 1) == '"') {
            end--;
        }
        while (start < end) {
            int cp = raw.codePointAt(start);
            if (!isPythonSpace(cp)) {
                break;
            }
            start += Character.charCount(cp);
        }
        while (end > start) {
            int cp = raw.codePointBefore(end);
            if (!isPythonSpace(cp)) {
                break;
            }
            end -= Character.charCount(cp);
        }
        return new Stripped(raw.substring(start, end), raw.codePointCount(0, start));
    }

    /** Python's {@code str.isspace()} for one code point (close enough: Java whitespace plus space separators). */
    static boolean isPythonSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp == 0x85;
    }

    /** Number of code points (Python {@code len}). */
    static int codePointLength(String s) {
        return s.codePointCount(0, s.length());
    }

    /** UTF-16 index of code point offset {@code cp}; {@code cp} must be in {@code [0, codePointLength(s)]}. */
    static int toCharIndex(String s, int cp) {
        return s.offsetByCodePoints(0, cp);
    }

    /** Code point offset of UTF-16 index {@code charIndex}. */
    static int toCodePointIndex(String s, int charIndex) {
        return s.codePointCount(0, charIndex);
    }
}
