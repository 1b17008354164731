package studio.grounding.worker.model;

import java.util.List;
import java.util.Map;

/**
 * One image's GLaMM output in the shape of {@code eval/gcg/infer.py}'s JSON (grandf-formats §5): the clean caption,
 * the phrases, and one COCO RLE mask per generated {@code [SEG]} (i-th phrase goes with i-th mask; the counts may
 * differ and are kept as they are). {@code rawText} is the decoded answer with its tags.
 */
public record GlammPrediction(String caption, List<String> phrases, List<Mask> masks, String rawText,
                              int generatedTokens, Map<String, Double> timingsMillis) {

    /** A COCO RLE mask of the original image size. */
    public record Mask(int height, int width, String counts, long area) {}

    public boolean phraseMaskCountsMatch() {
        return phrases.size() == masks.size();
    }
}
