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

    /** The prediction file of {@code eval/gcg/infer.py} (grandf-formats §5) for an image id (its file stem). */
    public String toGrandfJson(String imageId) {
        com.google.gson.JsonObject o = new com.google.gson.JsonObject();
        o.addProperty("image_id", imageId);
        o.addProperty("caption", caption);
        com.google.gson.JsonArray ph = new com.google.gson.JsonArray();
        phrases.forEach(ph::add);
        o.add("phrases", ph);
        com.google.gson.JsonArray ms = new com.google.gson.JsonArray();
        for (Mask m : masks) {
            com.google.gson.JsonObject r = new com.google.gson.JsonObject();
            com.google.gson.JsonArray size = new com.google.gson.JsonArray();
            size.add(m.height());
            size.add(m.width());
            r.add("size", size);
            r.addProperty("counts", m.counts());
            ms.add(r);
        }
        o.add("pred_masks", ms);
        return new com.google.gson.GsonBuilder().disableHtmlEscaping().create().toJson(o);
    }
}
