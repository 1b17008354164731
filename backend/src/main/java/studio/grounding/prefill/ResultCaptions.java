package studio.grounding.prefill;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import studio.grounding.interchange.PhraseLocator;
import studio.grounding.mask.MalformedRleException;
import studio.grounding.mask.Rle;

/**
 * Turns a worker's result into a grounded caption the way the GLaMM prediction import does: phrase {@code i} with
 * mask {@code i}; a phrase without offsets located with {@link PhraseLocator}; extra masks unlinked, extra phrases
 * without masks, an unlocatable phrase's mask unlinked, each with a warning. Anything malformed (a span that does
 * not match the caption, a mask of another size than the image, malformed RLE, a negative timing) is a problem:
 * the whole result is refused.
 */
final class ResultCaptions {

    private ResultCaptions() {
    }

    record Built(GroundedCaption caption, List<String> warnings) {
    }

    static Built build(PrefillResult result, int imageHeight, int imageWidth) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String caption = result.caption();
        if (caption == null) {
            throw new InvalidPrefillResultException(List.of("caption: missing"));
        }
        List<MaskRle> masks = new ArrayList<>();
        for (int i = 0; i < result.masks().size(); i++) {
            PrefillResult.Mask m = result.masks().get(i);
            String field = "masks[" + i + "]";
            if (m == null || m.counts() == null) {
                problems.add(field + ": missing counts");
                continue;
            }
            if (m.height() != imageHeight || m.width() != imageWidth) {
                problems.add(field + ".size: [" + m.height() + ", " + m.width() + "] does not match the image size ["
                        + imageHeight + ", " + imageWidth + "]");
                continue;
            }
            try {
                Rle.fromString(m.counts(), m.height(), m.width());
            } catch (MalformedRleException e) {
                problems.add(field + ".counts: " + e.getMessage());
                continue;
            }
            masks.add(new MaskRle(m.height(), m.width(), m.counts()));
        }
        if (result.scores() != null) {
            if (result.scores().size() != result.masks().size()) {
                problems.add("scores: " + result.scores().size() + " score(s) for " + result.masks().size() + " mask(s)");
            }
            for (int i = 0; i < result.scores().size(); i++) {
                Double s = result.scores().get(i);
                if (s == null || !Double.isFinite(s)) {
                    problems.add("scores[" + i + "]: not a finite number");
                }
            }
        }
        for (Map.Entry<String, Double> t : result.timings().entrySet()) {
            if (t.getKey() == null || t.getKey().isBlank()) {
                problems.add("timings: a stage without a name");
            } else if (t.getValue() == null || !Double.isFinite(t.getValue()) || t.getValue() < 0) {
                problems.add("timings." + t.getKey() + ": not a non-negative number of milliseconds");
            }
        }
        // given spans first (they are authoritative), then locate the others around them
        List<PrefillResult.Phrase> phrases = result.phrases();
        PhraseLocator.Span[] spans = new PhraseLocator.Span[phrases.size()];
        for (int i = 0; i < phrases.size(); i++) {
            PrefillResult.Phrase p = phrases.get(i);
            String field = "phrases[" + i + "]";
            if (p == null || p.text() == null || p.text().isBlank()) {
                problems.add(field + ".text: missing");
                continue;
            }
            if (p.start() != null || p.end() != null) {
                if (p.start() == null || p.end() == null) {
                    problems.add(field + ": give both start and end, or neither");
                } else if (p.start() < 0 || p.end() > caption.length() || p.start() >= p.end()) {
                    problems.add(field + ": span [" + p.start() + ", " + p.end() + ") is outside the caption of length "
                            + caption.length());
                } else if (!caption.substring(p.start(), p.end()).equals(p.text())) {
                    problems.add(field + ": span text \"" + caption.substring(p.start(), p.end())
                            + "\" does not match the phrase \"" + p.text() + "\"");
                } else {
                    spans[i] = new PhraseLocator.Span(p.start(), p.end());
                }
            }
        }
        for (int i = 0; i < spans.length; i++) {
            for (int j = i + 1; j < spans.length; j++) {
                if (spans[i] != null && spans[j] != null && spans[i].start() < spans[j].end()
                        && spans[j].start() < spans[i].end()) {
                    problems.add("phrases[" + j + "]: span overlaps phrases[" + i + "]");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidPrefillResultException(problems);
        }
        if (phrases.size() != masks.size()) {
            warnings.add(phrases.size() + " phrase(s) but " + masks.size() + " mask(s): "
                    + (phrases.size() > masks.size()
                    ? (phrases.size() - masks.size()) + " phrase(s) have no mask"
                    : (masks.size() - phrases.size()) + " mask(s) are linked to no phrase"));
        }
        PhraseLocator locator = new PhraseLocator(masked(caption, spans));
        List<PhraseSpan> built = new ArrayList<>();
        List<MaskRle> unlinked = new ArrayList<>();
        for (int i = 0; i < phrases.size(); i++) {
            String text = phrases.get(i).text();
            MaskRle mask = i < masks.size() ? masks.get(i) : null;
            PhraseLocator.Span span = spans[i];
            if (span == null) {
                Optional<PhraseLocator.Span> found = locator.locate(text);
                if (found.isPresent()) {
                    span = found.get();
                } else {
                    warnings.add("phrase " + i + " \"" + text + "\" not found in the caption"
                            + (mask != null ? "; its mask is kept unlinked" : ""));
                    if (mask != null) {
                        unlinked.add(mask);
                    }
                    continue;
                }
            }
            built.add(new PhraseSpan(span.start(), span.end(), caption.substring(span.start(), span.end()),
                    mask == null ? List.of() : List.of(mask)));
        }
        if (masks.size() > phrases.size()) {
            unlinked.addAll(masks.subList(phrases.size(), masks.size()));
        }
        built.sort(Comparator.comparingInt(PhraseSpan::start));
        return new Built(new GroundedCaption(caption, built, unlinked), warnings);
    }

    /**
     * The caption with the given spans blanked out (same length), so that a phrase located without offsets never
     * takes a span a phrase with offsets already has.
     */
    private static String masked(String caption, PhraseLocator.Span[] spans) {
        char[] chars = caption.toCharArray();
        for (PhraseLocator.Span s : spans) {
            if (s != null) {
                for (int k = s.start(); k < s.end(); k++) {
                    chars[k] = '\u0000';
                }
            }
        }
        return new String(chars);
    }
}
