package studio.grounding.platform;

/**
 * Escapes text for a JSON string literal, for the problem details that the platform's servlet filters write before
 * Spring MVC (and its message converters) are reached.
 */
final class JsonText {

    private JsonText() {
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
