package studio.grounding.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Java approximation of what pycocoevalcap's {@code PTBTokenizer} produces: Stanford CoreNLP 3.4.1's
 * {@code PTBTokenizer -preserveLines -lowerCase}, then removal of the tokens in pycocoevalcap's punctuation list
 * ({@code '' ' `` ` -LRB- -RRB- -LCB- -RCB- . ? ! , : - -- ... ;}).
 *
 * <p>What it does: treats newlines as spaces, splits on whitespace, then splits each chunk into PTB tokens and
 * lower-cases them (English rules; CoreNLP also tokenises the original case and lower-cases afterwards): numbers with
 * inner {@code . , : /} and glued letters or hyphen parts stay whole ({@code 3.5}, {@code 1,000}, {@code 3rd},
 * {@code 2-year-old}); words may contain inner hyphens, ampersands and
 * apostrophes ({@code well-known}); clitics are split ({@code don't -> do n't}, {@code cat's -> cat 's},
 * {@code 're 've 'll 'd 'm}, {@code cannot -> can not}); a period stays on acronyms ({@code U.S.}), capital
 * initials ({@code J.}) and a short abbreviation list ({@code Mr. Dr. St. etc.}); every other punctuation
 * character is its own token. Curly quotes become straight ones, {@code …} becomes {@code ...}, em/en dashes
 * {@code --}; brackets become PTB escapes: round and curly ones are in the removal list, square ones
 * ({@code -LSB- -RSB-}) are not and stay as tokens.
 *
 * <p>Known differences from CoreNLP: its lexer has many more rules (URLs, e-mails, emoticons, SGML, a long
 * abbreviation list, sentence-final abbreviations, {@code gonna -> gon na}, fractions...), and whether
 * {@code -lowerCase} also lower-cases escapes such as {@code -LSB-} is not verified here. None of these occur in
 * ordinary grounded captions; for plain words, commas, periods, quotes, hyphens and clitics the output is the same.
 */
public final class PtbTokenizer {

    static final Set<String> PUNCTUATION = Set.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?",
            "!", ",", ":", "-", "--", "...", ";");

    private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc",
            "inc", "co", "ltd", "corp", "prof", "mt", "no", "ft", "approx");

    private static final Pattern TOKEN = Pattern.compile(
            "\\.{2,}"                                          // ellipsis
            + "|-{2,}"                                         // dashes
            + "|\\p{N}+(?:[.,:/]\\p{N}+)*[\\p{L}\\p{M}\\p{N}_]*(?:-[\\p{L}\\p{M}\\p{N}_]+)*" // 3.5 1,000 3rd 2-year-old
            + "|(?:\\p{L}\\.){2,}"                                 // acronyms u.s.
            + "|[\\p{L}\\p{M}\\p{N}_]+(?:[-&'][\\p{L}\\p{M}\\p{N}_]+)*"   // words
            + "|.", Pattern.DOTALL);

    private static final Pattern CLITIC = Pattern.compile("(.+?)(n't|'s|'re|'ve|'ll|'d|'m)");

    private PtbTokenizer() {
    }

    /** The tokens of one caption, punctuation removed, as pycocoevalcap joins them with single spaces. */
    public static List<String> tokenize(String caption) {
        String s = caption
                .replace('\n', ' ').replace('\r', ' ')
                .replace('\u2018', '\'').replace('\u2019', '\'')
                .replace('\u201c', '"').replace('\u201d', '"')
                .replace("\u2026", "...")
                .replace("\u2014", " -- ").replace("\u2013", " -- ");
        List<String> out = new ArrayList<>();
        for (String chunk : s.strip().split("\\s+")) {
            if (chunk.isEmpty()) {
                continue;
            }
            Matcher m = TOKEN.matcher(chunk);
            int pos = 0;
            while (pos < chunk.length() && m.find(pos)) {
                String t = m.group();
                pos = m.end();
                if (Character.isLetterOrDigit(t.codePointAt(0)) || t.charAt(0) == '_') {
                    String lower = t.toLowerCase(Locale.ENGLISH);
                    if (pos < chunk.length() && chunk.charAt(pos) == '.' && (ABBREVIATIONS.contains(lower)
                            || (t.length() == 1 && Character.isUpperCase(t.charAt(0))))) {
                        out.add(lower + "."); // an abbreviation or an initial keeps its period
                        pos++;
                        continue;
                    }
                    addWord(lower, out);
                } else {
                    add(escape(t.toLowerCase(Locale.ENGLISH)), out);
                }
            }
        }
        return out;
    }

    /** {@link #tokenize} joined with single spaces, the string pycocoevalcap hands to the scorers. */
    public static String tokenizeToString(String caption) {
        return String.join(" ", tokenize(caption));
    }

    private static void addWord(String w, List<String> out) {
        if (w.equals("cannot")) {
            out.add("can");
            out.add("not");
            return;
        }
        Matcher c = CLITIC.matcher(w);
        if (c.matches() && !c.group(1).endsWith("'")) {
            add(c.group(1), out);
            add(c.group(2), out);
            return;
        }
        add(w, out);
    }

    private static String escape(String t) {
        if (t.startsWith("..")) {
            return "...";
        }
        if (t.startsWith("--")) {
            return "--";
        }
        return switch (t) {
            case "(" -> "-LRB-";
            case ")" -> "-RRB-";
            case "{" -> "-LCB-";
            case "}" -> "-RCB-";
            case "[" -> "-LSB-";
            case "]" -> "-RSB-";
            case "\"" -> "''";
            default -> t;
        };
    }

    private static void add(String t, List<String> out) {
        if (!t.isEmpty() && !PUNCTUATION.contains(t)) {
            out.add(t);
        }
    }
}
