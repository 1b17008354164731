package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import studio.grounding.annotation.MaskRle;

/**
 * Pairs phrase i with mask i (GLaMM predictions, COCO GCG labels), locating each phrase in the caption with a
 * {@link PhraseLocator}. Mismatches are kept visible: extra masks become unlinked masks, extra phrases phrases
 * without masks, unlocatable phrases a warning with their mask kept unlinked.
 */
final class PhraseMaskPairing {

    private PhraseMaskPairing() {
    }

    /**
     * @param phrases  phrase texts in order
     * @param masks    per phrase i the masks that go with it (may be shorter or longer than {@code phrases})
     * @param allowInstances when true, a phrase that cannot be located but equals an earlier phrase's text is taken
     *                 as another instance of that phrase (COCO GCG writes one label per mask instance; GLaMM's
     *                 loaders find a label at its first occurrence, so a repeated label is the same phrase)
     */
    static void pair(CaptionBuilder b, List<String> phrases, List<MaskRle> masks, String phraseWord, String maskWord,
                     boolean allowInstances) {
        PhraseLocator locator = new PhraseLocator(b.caption());
        if (phrases.size() != masks.size()) {
            b.warn(phrases.size() + " " + phraseWord + "(s) but " + masks.size() + " " + maskWord + "(s): "
                    + (phrases.size() > masks.size()
                    ? (phrases.size() - masks.size()) + " phrase(s) have no mask"
                    : (masks.size() - phrases.size()) + " mask(s) are linked to no phrase"));
        }
        List<Pending> built = new ArrayList<>();
        Pending last = null;
        for (int i = 0; i < phrases.size(); i++) {
            String text = phrases.get(i);
            MaskRle mask = i < masks.size() ? masks.get(i) : null;
            Optional<PhraseLocator.Span> span = locator.locate(text);
            if (span.isEmpty() && allowInstances && last != null && text.equals(last.text) && mask != null) {
                last.masks.add(mask);
                continue;
            }
            Pending earlier = span.isEmpty() && allowInstances && mask != null ? sameText(built, text) : null;
            if (earlier != null) {
                // GLaMM's loaders locate a label with caption.find(label): a label repeated later in the list but
                // present once in the caption lands on that same occurrence, so its mask stays with the phrase
                b.warn(phraseWord + " " + i + " \"" + text + "\" repeats an earlier " + phraseWord + " but occurs only "
                        + "once in the caption: its mask is another instance of the phrase at [" + earlier.span.start()
                        + ", " + earlier.span.end() + ")");
                earlier.masks.add(mask);
                continue;
            }
            if (span.isEmpty()) {
                b.warn("phrase " + i + " \"" + text + "\" not found in the caption"
                        + (mask != null ? "; its mask is kept unlinked" : ""));
                if (mask != null) {
                    b.unlinked(List.of(mask));
                }
                continue;
            }
            last = new Pending(text, span.get(), new ArrayList<>());
            if (mask != null) {
                last.masks.add(mask);
            }
            built.add(last);
        }
        for (Pending p : built) {
            b.phrase(p.span.start(), p.span.end(), p.masks);
        }
        if (masks.size() > phrases.size()) {
            b.unlinked(masks.subList(phrases.size(), masks.size()));
        }
    }

    private static Pending sameText(List<Pending> built, String text) {
        for (Pending p : built) {
            if (p.text.equals(text)) {
                return p;
            }
        }
        return null;
    }

    private record Pending(String text, PhraseLocator.Span span, List<MaskRle> masks) {
    }
}
