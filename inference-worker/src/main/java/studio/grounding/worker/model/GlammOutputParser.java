package studio.grounding.worker.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns GLaMM's decoded text into caption and phrases exactly as {@code eval/gcg/infer.py} does:
 * drop newlines, replace double spaces by single ones (one pass, like Python's {@code str.replace}), keep what
 * follows the last {@code "ASSISTANT: "}; phrases are {@code <p>(.*?)</p>} stripped; the caption drops every
 * {@code <...>} tag and {@code [SEG]}, collapses whitespace and strips {@code '} and blanks at both ends.
 *
 * <p>One addition: the text is cut at the first {@code </s>} (end of sequence); generation stops there, so this only
 * matters for raw text that carries something after it, which is not part of the answer.
 * The number of {@code [SEG]} in the text is reported too; the masks follow the {@code [SEG]} tokens in order
 * (i-th {@code [SEG]} gives the i-th mask), and nothing forces it to equal the number of phrases.
 */
public final class GlammOutputParser {

    private static final Pattern PHRASE = Pattern.compile("<p>(.*?)</p>");
    private static final Pattern TAG = Pattern.compile("<.*?>");
    private static final Pattern WS = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final String EOS = "</s>";
    private static final String SEG = "[SEG]";

    private GlammOutputParser() {}

    public record Parsed(String caption, List<String> phrases, int segCount) {}

    public static Parsed parse(String raw) {
        String text = raw == null ? "" : raw;
        int eos = text.indexOf(EOS);
        if (eos >= 0) {
            text = text.substring(0, eos + EOS.length());
        }
        text = text.replace("\n", "").replace("  ", " ");
        int a = text.lastIndexOf("ASSISTANT: ");
        if (a >= 0) {
            text = text.substring(a + "ASSISTANT: ".length());
        }
        List<String> phrases = new ArrayList<>();
        Matcher m = PHRASE.matcher(text);
        while (m.find()) {
            phrases.add(m.group(1).strip());
        }
        int segs = 0;
        for (int i = text.indexOf(SEG); i >= 0; i = text.indexOf(SEG, i + SEG.length())) {
            segs++;
        }
        String cleaned = TAG.matcher(text).replaceAll("").replace(SEG, "");
        cleaned = String.join(" ", WS.splitAsStream(cleaned.strip()).filter(s -> !s.isEmpty()).toList());
        cleaned = stripQuotes(cleaned).strip();
        return new Parsed(cleaned, List.copyOf(phrases), segs);
    }

    private static String stripQuotes(String s) {
        int b = 0;
        int e = s.length();
        while (b < e && s.charAt(b) == '\'') {
            b++;
        }
        while (e > b && s.charAt(e - 1) == '\'') {
            e--;
        }
        return s.substring(b, e);
    }
}
