package studio.grounding.prefill;

import java.util.List;
import java.util.Map;

/**
 * A worker's result for one job, like GLaMM's output: phrase {@code i} goes with mask {@code i}.
 *
 * @param caption the clean caption
 * @param phrases phrases in output order; a phrase without offsets is located in the caption
 * @param masks   masks in {@code [SEG]} order
 * @param scores  a score per mask, or null
 * @param timings per-stage timings in milliseconds, or null
 */
public record PrefillResult(String caption, List<Phrase> phrases, List<Mask> masks, List<Double> scores,
                            Map<String, Double> timings) {

    public PrefillResult {
        phrases = phrases == null ? List.of() : phrases;
        masks = masks == null ? List.of() : masks;
        timings = timings == null ? Map.of() : timings;
    }

    /** A phrase: its text and, optionally, its span {@code [start, end)} (UTF-16 indices) in the caption. */
    public record Phrase(String text, Integer start, Integer end) {
    }

    /** A mask in COCO compressed RLE of an image of {@code height × width}. */
    public record Mask(int height, int width, String counts) {
    }
}
