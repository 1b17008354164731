package studio.grounding.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import studio.grounding.text.StoredText;

/**
 * A caption with its grounded phrases: the unit an annotator edits and a revision stores.
 *
 * @param caption        the caption text, already normalised (no surrounding quotes or blanks)
 * @param phrases        phrases in caption order, each a character span {@code [start, end)} with its masks
 * @param unlinkedMasks  masks that belong to no phrase (GLaMM can emit more {@code [SEG]} masks than phrases)
 */
public record GroundedCaption(String caption, List<PhraseSpan> phrases, List<MaskRle> unlinkedMasks) {

    public GroundedCaption {
        Objects.requireNonNull(caption, "caption");
        phrases = List.copyOf(phrases);
        unlinkedMasks = List.copyOf(unlinkedMasks);
    }

    public GroundedCaption(String caption, List<PhraseSpan> phrases) {
        this(caption, phrases, List.of());
    }

    /** Every mask of the caption, linked ones first in phrase order, then the unlinked ones. */
    public List<MaskRle> allMasks() {
        List<MaskRle> all = new ArrayList<>();
        phrases.forEach(p -> all.addAll(p.masks()));
        all.addAll(unlinkedMasks);
        return all;
    }

    /**
     * Structural problems of this caption, each as a field path and a reason; empty when valid.
     * Checks the caption text ({@link StoredText}: no control characters), spans against it (in range, never cutting
     * a surrogate pair, matching their text); mask content is checked by the mask library.
     */
    public List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        StoredText.problem(caption).ifPresent(reason -> problems.add(new FieldProblem("caption", reason)));
        for (int i = 0; i < phrases.size(); i++) {
            PhraseSpan p = phrases.get(i);
            String field = "phrases[" + i + "]";
            Optional<String> cut = Optional.empty();
            if (p.start() < 0 || p.end() > caption.length() || p.start() >= p.end()) {
                problems.add(new FieldProblem(field + ".span",
                        "span [" + p.start() + ", " + p.end() + ") is outside the caption of length " + caption.length()));
            } else if ((cut = StoredText.spanProblem(caption, p.start(), p.end())).isPresent()) {
                problems.add(new FieldProblem(field + ".span", cut.get()));
            } else if (!caption.substring(p.start(), p.end()).equals(p.text())) {
                problems.add(new FieldProblem(field + ".text",
                        "span text \"" + caption.substring(p.start(), p.end()) + "\" does not match phrase \"" + p.text() + "\""));
            }
        }
        return problems;
    }

    /** A problem with one field of a record. */
    public record FieldProblem(String field, String reason) {
    }
}
