package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;

/** Assembles a {@link GroundedCaption} in caption order and adds warnings for overlaps and repeated phrase texts. */
final class CaptionBuilder {

    private final String caption;
    private final List<PhraseSpan> phrases = new ArrayList<>();
    private final List<MaskRle> unlinked = new ArrayList<>();
    private final List<String> warnings;

    CaptionBuilder(String caption, List<String> warnings) {
        this.caption = caption;
        this.warnings = warnings;
    }

    String caption() {
        return caption;
    }

    /** Adds a phrase at UTF-16 span {@code [start, end)}; its text is taken from the caption. */
    void phrase(int start, int end, List<MaskRle> masks) {
        phrases.add(new PhraseSpan(start, end, caption.substring(start, end), masks));
    }

    void unlinked(List<MaskRle> masks) {
        unlinked.addAll(masks);
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    GroundedCaption build() {
        phrases.sort(Comparator.comparingInt(PhraseSpan::start).thenComparingInt(PhraseSpan::end));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < phrases.size(); i++) {
            PhraseSpan p = phrases.get(i);
            Integer count = seen.merge(p.text(), 1, Integer::sum);
            if (count == 2) {
                warnings.add("duplicate phrase text \"" + p.text() + "\": it grounds more than one span");
            }
            if (i > 0 && phrases.get(i - 1).end() > p.start()) {
                PhraseSpan q = phrases.get(i - 1);
                warnings.add("phrases \"" + q.text() + "\" [" + q.start() + ", " + q.end() + ") and \"" + p.text()
                        + "\" [" + p.start() + ", " + p.end() + ") overlap");
            }
        }
        return new GroundedCaption(caption, phrases, unlinked);
    }
}
