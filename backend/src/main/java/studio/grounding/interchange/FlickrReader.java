package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import studio.grounding.annotation.MaskRle;
import tools.jackson.databind.JsonNode;

/**
 * Reads Flickr30k GCG files ({@code flickr_mergedGT_GCG_{train,val}.json}), COCO style:
 * {@code images[{id, file_name, height, width, caption}]} and
 * {@code annotations[{id, image_id, bbox, area, tokens_positive: [[s, e], ...], sam_mask: {size, counts}, ignore}]}.
 *
 * <p>One record per image ({@link SourceRecord#index()} = position in {@code images}), one phrase per distinct
 * {@code tokens_positive[0]} span (only the first span is used, like the loader), the instance masks of a span in
 * annotation order. Keys may come in any order and an image's annotations need not be contiguous; see
 * {@link CocoIndex} for how memory stays bounded. Problems with an annotation name it by its position in the file's
 * {@code annotations} array (e.g. {@code annotations[17].sam_mask.counts}) and reject its image.
 *
 * <p>Images the official loader skips (caption of fewer than 3 words by {@code caption.split(' ')}, or shorter side
 * under 32 px) and annotations it skips ({@code ignore}, empty or out-of-image {@code bbox}, {@code area <= 0}) are
 * imported with a warning, not dropped.
 */
public final class FlickrReader implements RecordReader {

    private final MaskCodec codec;

    /** A reader that checks masks with the mask library. */
    public FlickrReader() {
        this(MaskCodec.standard());
    }

    FlickrReader(MaskCodec codec) {
        this.codec = codec;
    }

    @Override
    public void read(Path file, RecordSink sink) throws IOException {
        String name = Json.displayName(file);
        CocoIndex.visit(file, sink, group -> {
            RecordCheck c = new RecordCheck(name, group.imageIndex());
            SourceRecord r = toRecord(c, group);
            if (c.report(sink) && r != null) {
                sink.record(r);
            }
        });
    }

    private SourceRecord toRecord(RecordCheck c, CocoIndex.ImageGroup group) {
        JsonNode img = group.image();
        if (!c.requireObject(img, "$")) {
            return null;
        }
        String id = c.idField(img, "id", "", true);
        String fileName = c.requiredString(img, "file_name", "");
        Integer height = c.intField(img, "height", "", true);
        Integer width = c.intField(img, "width", "", true);
        String rawCaption = c.requiredString(img, "caption", "");
        if (rawCaption == null || height == null || width == null) {
            return null;
        }
        List<String> warnings = new ArrayList<>();
        if (rawCaption.split(" ", -1).length < 3) {
            warnings.add("the official loader skips this image: its caption has fewer than 3 words");
        }
        if (Math.min(height, width) < 32) {
            warnings.add("the official loader skips this image: its shorter side is " + Math.min(height, width)
                    + " px (< 32)");
        }
        CaptionText.Stripped stripped = CaptionText.loaderStrip(rawCaption);
        int rawLength = CaptionText.codePointLength(rawCaption);
        int lead = stripped.leadingCodePoints();
        int length = CaptionText.codePointLength(stripped.text());
        MaskSizes sizes = new MaskSizes(height, width);
        Map<Long, List<MaskRle>> bySpan = new LinkedHashMap<>();
        for (CocoIndex.Annotation a : group.annotations()) {
            String path = "annotations[" + a.index() + "]";
            JsonNode ann = a.node();
            JsonNode tokens = c.requiredArray(ann, "tokens_positive", path);
            int[] span = null;
            if (tokens != null) {
                if (tokens.isEmpty()) {
                    c.fail(path + ".tokens_positive", "empty: the loader needs tokens_positive[0]");
                } else {
                    span = c.intPair(tokens.get(0), path + ".tokens_positive[0]");
                }
            }
            MaskRle mask = null;
            JsonNode sam = ann.get("sam_mask");
            if (sam == null) {
                c.fail(path + ".sam_mask", "missing");
            } else {
                mask = c.mask(sam, path + ".sam_mask", sizes, codec);
            }
            if (span != null) {
                int s = span[0];
                int e = span[1];
                if (s >= e || e > rawLength) {
                    c.fail(path + ".tokens_positive[0]", "span [" + s + ", " + e + ") is outside the caption of length " + rawLength);
                    span = null;
                } else if (s < lead || e - lead > length) {
                    c.fail(path + ".tokens_positive[0]", "span [" + s + ", " + e + ") lies in the quotes or blanks around the caption");
                    span = null;
                }
            }
            loaderSkips(ann, height, width, path, warnings);
            if (span != null && mask != null) {
                long key = ((long) (span[0] - lead) << 32) | (span[1] - lead);
                bySpan.computeIfAbsent(key, k -> new ArrayList<>()).add(mask);
            }
        }
        if (!c.ok() || id == null || fileName == null) {
            return null;
        }
        if (group.annotations().isEmpty()) {
            warnings.add("the image has no annotation");
        }
        String caption = stripped.text();
        CaptionBuilder b = new CaptionBuilder(caption, warnings);
        for (Map.Entry<Long, List<MaskRle>> e : bySpan.entrySet()) {
            int s = (int) (e.getKey() >>> 32);
            int end = (int) (e.getKey() & 0xffffffffL);
            b.phrase(CaptionText.toCharIndex(caption, s), CaptionText.toCharIndex(caption, end), e.getValue());
        }
        return new SourceRecord(group.imageIndex(), fileName, id, height, width, b.build(), warnings);
    }

    /** The loader's per-annotation filter ({@code _parse_annotations}); a hit is a warning. */
    private static void loaderSkips(JsonNode ann, int height, int width, String path, List<String> warnings) {
        JsonNode ignore = ann.get("ignore");
        if (ignore != null && (ignore.asBoolean(false) || ignore.isNumber() && ignore.asDouble() != 0)) {
            warnings.add(path + " has ignore set: the official loader skips it");
            return;
        }
        JsonNode bbox = ann.get("bbox");
        JsonNode area = ann.get("area");
        if (bbox != null && bbox.isArray() && bbox.size() == 4) {
            double x1 = bbox.get(0).asDouble(), y1 = bbox.get(1).asDouble();
            double w = bbox.get(2).asDouble(), h = bbox.get(3).asDouble();
            double interW = Math.max(0, Math.min(x1 + w, width) - Math.max(x1, 0));
            double interH = Math.max(0, Math.min(y1 + h, height) - Math.max(y1, 0));
            if (interW * interH == 0 || w < 1 || h < 1 || area != null && area.isNumber() && area.asDouble() <= 0) {
                warnings.add(path + " has an empty or out-of-image bbox or area: the official loader skips it");
            }
        }
    }
}
