package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import studio.grounding.annotation.MaskRle;
import tools.jackson.databind.JsonNode;

/**
 * Reads GranDf_HA and Open-PSG GCG files ({@code GranDf_HA_GCG_train.json}, {@code OpenPsgGCG_{train,val}.json}):
 * a JSON array of {@code {file_name, caption, groundings: {phrase: {token_positives: [s, e], rle_masks: [...]}},
 * image_id?, height?, width?}}.
 *
 * <p>Like GLaMM's loader, the caption is normalised with {@code caption.strip('"').strip()} and the spans index the
 * normalised caption (as Python code point offsets). A span that only matches the caption before normalisation (the
 * file was written against the raw caption) is shifted and imported with a warning. Every span must lie in the
 * caption and its text must equal the phrase key (field {@code groundings.<phrase>.token_positives}); every mask
 * must parse, match {@code height}/{@code width} when given, and all masks of a record must share one size. A phrase
 * with an empty {@code rle_masks} is imported with a warning.
 */
public final class GrandfReader implements RecordReader {

    private final MaskCodec codec;

    /** A reader that checks masks with the mask library. */
    public GrandfReader() {
        this(MaskCodec.standard());
    }

    GrandfReader(MaskCodec codec) {
        this.codec = codec;
    }

    @Override
    public void read(Path file, RecordSink sink) throws IOException {
        String name = Json.displayName(file);
        Json.forEachArrayElement(file, sink, (index, node) -> {
            RecordCheck check = new RecordCheck(name, index);
            SourceRecord r = toRecord(check, index, node);
            if (check.report(sink) && r != null) {
                sink.record(r);
            }
        });
    }

    private SourceRecord toRecord(RecordCheck c, long index, JsonNode n) {
        if (!c.requireObject(n, "$")) {
            return null;
        }
        String fileName = c.requiredString(n, "file_name", "");
        String rawCaption = c.requiredString(n, "caption", "");
        JsonNode groundings = c.requiredObject(n, "groundings", "");
        String imageId = c.idField(n, "image_id", "", false);
        Integer height = c.intField(n, "height", "", false);
        Integer width = c.intField(n, "width", "", false);
        if (rawCaption == null || groundings == null) {
            return null;
        }
        CaptionText.Stripped stripped = CaptionText.loaderStrip(rawCaption);
        String caption = stripped.text();
        List<String> warnings = new ArrayList<>();
        CaptionBuilder builder = new CaptionBuilder(caption, warnings);
        MaskSizes sizes = new MaskSizes(height, width);
        for (Map.Entry<String, JsonNode> e : groundings.properties()) {
            String phrase = e.getKey();
            String path = "groundings." + phrase;
            JsonNode g = e.getValue();
            if (!c.requireObject(g, path)) {
                continue;
            }
            int[] span = c.intPair(g.get("token_positives"), path + ".token_positives");
            JsonNode masksNode = c.requiredArray(g, "rle_masks", path);
            List<MaskRle> masks = new ArrayList<>();
            if (masksNode != null) {
                for (int k = 0; k < masksNode.size(); k++) {
                    MaskRle m = c.mask(masksNode.get(k), path + ".rle_masks[" + k + "]", sizes, codec);
                    if (m != null) {
                        masks.add(m);
                    }
                }
                if (masksNode.isEmpty()) {
                    warnings.add("phrase \"" + phrase + "\" has no mask (empty rle_masks)");
                }
            }
            if (span == null) {
                continue;
            }
            int[] chars = resolveSpan(c, path + ".token_positives", rawCaption, stripped, span, phrase, warnings);
            if (chars != null) {
                builder.phrase(chars[0], chars[1], masks);
            }
        }
        if (!c.ok() || fileName == null) {
            return null;
        }
        return new SourceRecord(index, fileName, imageId, sizes.height(), sizes.width(), builder.build(), warnings);
    }

    /** Turns a code point span of the file into a UTF-16 span of the normalised caption, or reports why not. */
    static int[] resolveSpan(RecordCheck c, String field, String raw, CaptionText.Stripped stripped, int[] span,
                             String phrase, List<String> warnings) {
        String caption = stripped.text();
        int length = CaptionText.codePointLength(caption);
        int s = span[0];
        int e = span[1];
        if (s < e && e <= length) {
            int cs = CaptionText.toCharIndex(caption, s);
            int ce = CaptionText.toCharIndex(caption, e);
            String text = caption.substring(cs, ce);
            if (text.equals(phrase)) {
                return new int[] {cs, ce};
            }
            int[] shifted = shiftedFromRaw(raw, stripped, s, e, phrase);
            if (shifted != null) {
                warnings.add(shiftWarning(phrase, s, e, stripped));
                return shifted;
            }
            c.fail(field, "span [" + s + ", " + e + ") is \"" + text + "\" in the caption, not the phrase \"" + phrase + "\"");
            return null;
        }
        int[] shifted = shiftedFromRaw(raw, stripped, s, e, phrase);
        if (shifted != null) {
            warnings.add(shiftWarning(phrase, s, e, stripped));
            return shifted;
        }
        c.fail(field, s >= e ? "span [" + s + ", " + e + ") is empty or reversed"
                : "span [" + s + ", " + e + ") is outside the caption of length " + length
                        + " (after stripping quotes and blanks as the loader does)");
        return null;
    }

    private static String shiftWarning(String phrase, int s, int e, CaptionText.Stripped stripped) {
        return "span [" + s + ", " + e + ") of \"" + phrase + "\" indexes the caption before the loader strips quotes"
                + " and blanks; shifted by " + stripped.leadingCodePoints();
    }

    private static int[] shiftedFromRaw(String raw, CaptionText.Stripped stripped, int s, int e, String phrase) {
        int lead = stripped.leadingCodePoints();
        int length = CaptionText.codePointLength(stripped.text());
        if (lead == 0 && CaptionText.codePointLength(raw) == length) {
            return null;
        }
        if (s < lead || e - lead > length || s >= e) {
            return null;
        }
        String caption = stripped.text();
        int cs = CaptionText.toCharIndex(caption, s - lead);
        int ce = CaptionText.toCharIndex(caption, e - lead);
        return caption.substring(cs, ce).equals(phrase) ? new int[] {cs, ce} : null;
    }
}
