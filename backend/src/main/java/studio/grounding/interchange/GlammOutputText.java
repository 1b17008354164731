package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

/**
 * GLaMM's raw model text parsed the way {@code eval/gcg/infer.py} does, e.g.
 * {@code The image shows a <p> hot air balloon </p> [SEG] flying over a <p> river </p> [SEG] .</s>}.
 *
 * <ul>
 *   <li>Only the answer is used: text after the last {@code ASSISTANT:} if present, and up to the first
 *       {@code </s>} (end of sequence; anything after it is dropped with a warning).</li>
 *   <li>Phrases: {@code <p>(.*?)</p>}, stripped (tags or {@code [SEG]} inside a phrase are removed, with a warning).</li>
 *   <li>Caption: every {@code <...>} tag and {@code [SEG]} removed, whitespace collapsed, then
 *       {@code .strip("'").strip()} as GLaMM does.</li>
 *   <li>The i-th {@code [SEG]} gives the i-th mask, which goes with the i-th phrase. Phrases are located in the clean
 *       caption with {@link PhraseLocator}.</li>
 * </ul>
 * Malformed text never throws: unbalanced {@code <p>}/{@code </p>}, phrase/{@code [SEG]} count mismatches and
 * unlocatable phrases are reported in {@link #warnings()}.
 *
 * @param caption   the clean caption
 * @param phrases   phrases in output order, each with its span in {@link #caption()} (or {@code -1}) and mask index
 * @param segTokens number of {@code [SEG]} tokens, i.e. masks the model produced
 * @param warnings  what was odd about the text
 */
public record GlammOutputText(String caption, List<Phrase> phrases, int segTokens, List<String> warnings) {

    private static final Pattern PHRASE = Pattern.compile("<p>(.*?)</p>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<.*?>");
    private static final String SEG = "[SEG]";

    public GlammOutputText {
        phrases = List.copyOf(phrases);
        warnings = List.copyOf(warnings);
    }

    /**
     * A phrase of the output.
     *
     * @param text      the phrase text
     * @param start     start of the phrase in the clean caption (UTF-16 index), {@code -1} if not located
     * @param end       end (exclusive), {@code -1} if not located
     * @param maskIndex index of its mask ({@code i} for phrase {@code i}), {@code -1} if the model emitted fewer
     *                  {@code [SEG]} tokens
     */
    public record Phrase(String text, int start, int end, int maskIndex) {

        /** Whether the phrase was found in the caption. */
        public boolean located() {
            return start >= 0;
        }
    }

    /** Parses raw model output; {@code null} or blank text gives an empty caption with a warning. */
    public static GlammOutputText parse(String raw) {
        List<String> warnings = new ArrayList<>();
        if (raw == null || raw.isBlank()) {
            warnings.add("empty model output");
            return new GlammOutputText("", List.of(), 0, warnings);
        }
        String text = raw;
        int assistant = text.lastIndexOf("ASSISTANT:");
        if (assistant >= 0) {
            text = text.substring(assistant + "ASSISTANT:".length());
        }
        int eos = text.indexOf("</s>");
        if (eos >= 0) {
            String after = text.substring(eos + 4);
            if (!after.isBlank()) {
                warnings.add("text after </s> ignored: \"" + after.strip() + "\"");
            }
            text = text.substring(0, eos);
        }
        checkTagNesting(text, warnings);
        List<String> phraseTexts = new ArrayList<>();
        Matcher m = PHRASE.matcher(text);
        while (m.find()) {
            String p = m.group(1).strip();
            String cleaned = clean(p);
            if (!cleaned.equals(p)) {
                warnings.add("phrase \"" + p + "\" contains tags; cleaned to \"" + cleaned + "\"");
            }
            if (cleaned.isEmpty()) {
                warnings.add("empty phrase <p></p> ignored");
                continue;
            }
            phraseTexts.add(cleaned);
        }
        String caption = clean(text);
        while (caption.startsWith("'")) {
            caption = caption.substring(1);
        }
        while (caption.endsWith("'")) {
            caption = caption.substring(0, caption.length() - 1);
        }
        caption = caption.strip();
        int segs = count(text, SEG);
        if (segs != phraseTexts.size()) {
            warnings.add(phraseTexts.size() + " phrase(s) but " + segs + " [SEG] token(s)");
        }
        PhraseLocator locator = new PhraseLocator(caption);
        List<Phrase> phrases = new ArrayList<>();
        for (int i = 0; i < phraseTexts.size(); i++) {
            String p = phraseTexts.get(i);
            Optional<PhraseLocator.Span> span = locator.locate(p);
            if (span.isEmpty()) {
                warnings.add("phrase \"" + p + "\" not found in the caption");
            }
            phrases.add(new Phrase(p, span.map(PhraseLocator.Span::start).orElse(-1),
                    span.map(PhraseLocator.Span::end).orElse(-1), i < segs ? i : -1));
        }
        return new GlammOutputText(caption, phrases, segs, warnings);
    }

    /**
     * The grounded caption with the model's masks: mask {@code i} goes to phrase {@code i}; masks of unlocated
     * phrases and masks beyond the phrases are kept unlinked; phrases beyond the masks get none.
     *
     * @param masks the predicted masks in {@code [SEG]} order
     */
    public GroundedCaption toGroundedCaption(List<MaskRle> masks) {
        List<PhraseSpan> spans = new ArrayList<>();
        List<MaskRle> unlinked = new ArrayList<>();
        for (int i = 0; i < phrases.size(); i++) {
            Phrase p = phrases.get(i);
            List<MaskRle> own = i < masks.size() ? List.of(masks.get(i)) : List.of();
            if (p.located()) {
                spans.add(new PhraseSpan(p.start(), p.end(), p.text(), own));
            } else {
                unlinked.addAll(own);
            }
        }
        if (masks.size() > phrases.size()) {
            unlinked.addAll(masks.subList(phrases.size(), masks.size()));
        }
        spans.sort(java.util.Comparator.comparingInt(PhraseSpan::start));
        return new GroundedCaption(caption, spans, unlinked);
    }

    private static String clean(String s) {
        String noTags = TAG.matcher(s).replaceAll("").replace(SEG, "");
        return String.join(" ", noTags.strip().split("\\s+")).strip();
    }

    /** Warns about {@code <p>} inside a phrase, {@code </p>} without a phrase, and a phrase left open. */
    private static void checkTagNesting(String text, List<String> warnings) {
        boolean open = false;
        for (int i = 0; i < text.length(); i++) {
            if (text.startsWith("<p>", i)) {
                if (open) {
                    warnings.add("malformed phrase tags: <p> at " + i + " inside an open phrase");
                }
                open = true;
            } else if (text.startsWith("</p>", i)) {
                if (!open) {
                    warnings.add("malformed phrase tags: </p> at " + i + " closes no phrase");
                }
                open = false;
            }
        }
        if (open) {
            warnings.add("malformed phrase tags: the last <p> is never closed");
        }
    }

    private static int count(String s, String token) {
        int n = 0;
        for (int i = s.indexOf(token); i >= 0; i = s.indexOf(token, i + token.length())) {
            n++;
        }
        return n;
    }
}
