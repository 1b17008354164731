package studio.grounding.annotation;

import java.util.ArrayList;
import java.util.List;
import studio.grounding.mask.MalformedRleException;
import studio.grounding.mask.Rle;
import studio.grounding.text.StoredText;

/**
 * The content checks of an {@link EditorDocument}: caption and phrase texts storable ({@link StoredText}), spans
 * inside the caption, never cutting a surrogate pair, and matching their text (a flagged
 * phrase may be empty and is not matched), every mask well-formed COCO RLE of its size, and, when an image size is
 * given, of the image's size.
 */
final class EditorDocumentChecks {

    private EditorDocumentChecks() {
    }

    /**
     * @param imageSize {height, width} of the item's image, or null to check masks only against their own size
     * @return every problem as {@code field: reason}; empty when the document is sound
     */
    static List<String> check(EditorDocument document, int[] imageSize) {
        List<String> problems = new ArrayList<>();
        String caption = document.caption();
        StoredText.problem(caption).ifPresent(reason -> problems.add("caption: " + reason));
        for (int i = 0; i < document.phrases().size(); i++) {
            EditorDocument.Phrase p = document.phrases().get(i);
            String field = "phrases[" + i + "]";
            boolean inRange = p.start() >= 0 && p.end() <= caption.length()
                    && (p.flagged() ? p.start() <= p.end() : p.start() < p.end());
            if (!inRange) {
                problems.add(field + ".start: span [" + p.start() + ", " + p.end() + ") is outside the caption of length "
                        + caption.length() + (p.flagged() ? "" : " or empty"));
            } else if (StoredText.spanProblem(caption, p.start(), p.end()).isPresent()) {
                problems.add(field + ".start: " + StoredText.spanProblem(caption, p.start(), p.end()).get());
            } else if (!p.flagged() && !caption.substring(p.start(), p.end()).equals(p.text())) {
                problems.add(field + ".text: \"" + p.text() + "\" does not match the caption's text \""
                        + caption.substring(p.start(), p.end()) + "\" at [" + p.start() + ", " + p.end() + ")");
            }
            String textField = field + ".text";
            StoredText.problem(p.text()).ifPresent(reason -> problems.add(textField + ": " + reason));
            for (int j = 0; j < p.masks().size(); j++) {
                mask(p.masks().get(j), field + ".masks[" + j + "]", imageSize, problems);
            }
        }
        for (int j = 0; j < document.unlinkedMasks().size(); j++) {
            mask(document.unlinkedMasks().get(j), "unlinkedMasks[" + j + "]", imageSize, problems);
        }
        return problems;
    }

    private static void mask(EditorDocument.Mask mask, String field, int[] imageSize, List<String> problems) {
        if (mask.height() <= 0 || mask.width() <= 0) {
            problems.add(field + ".size: [" + mask.height() + ", " + mask.width() + "] is not a positive size");
            return;
        }
        if (imageSize != null && (mask.height() != imageSize[0] || mask.width() != imageSize[1])) {
            problems.add(field + ".size: [" + mask.height() + ", " + mask.width() + "] does not match the image size ["
                    + imageSize[0] + ", " + imageSize[1] + "]");
            return;
        }
        try {
            Rle.fromString(mask.counts(), mask.height(), mask.width());
        } catch (MalformedRleException e) {
            problems.add(field + ".counts: malformed RLE: " + e.getMessage());
        }
    }
}
