package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import studio.grounding.annotation.MaskRle;
import tools.jackson.databind.JsonNode;

/**
 * Reads RefCOCOg GCG files ({@code RefCOCOg_GCG_{train,val}.json}): an array of single-key objects
 * {@code {"<file>": {img_file_name, caption, refs: [{sentence, segmentation: [[x, y, ...], ...]}]}}}.
 *
 * <p>The file has no image size, so it comes from {@link ImageDimensions} (the image headers). Each ref's polygons
 * are rasterised and merged into one instance mask like pycocotools ({@code frPyObjects} + merge). Sentences are
 * located as GLaMM's loader does: the caption is normalised with {@code strip('"').strip()}, each sentence is found at
 * its first case-insensitive occurrence, spans are sorted, and a span that overlaps the next one is trimmed to end
 * where the next begins (trailing blanks dropped; a span left empty counts as not located). Unlike the loader,
 * phrases are not dropped: a sentence that cannot be located is a warning and its mask is kept as an unlinked mask,
 * and refs with the same located span become one phrase with several instance masks (warning).
 *
 * <p>Two deliberate differences from the loader's quirks: its {@code find} is case-sensitive after a
 * case-insensitive test (a capitalised sentence gets span {@code [-1, -1]}), and it also trims spans that merely
 * touch ({@code end >= next start}); here the case-insensitive match is used and only real overlaps are trimmed.
 */
public final class RefCocogReader implements RecordReader {

    private final ImageDimensions dimensions;
    private final MaskCodec codec;

    /** A reader that takes image sizes from {@code dimensions} and rasterises with the mask library. */
    public RefCocogReader(ImageDimensions dimensions) {
        this(dimensions, MaskCodec.standard());
    }

    RefCocogReader(ImageDimensions dimensions, MaskCodec codec) {
        this.dimensions = Objects.requireNonNull(dimensions, "dimensions");
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

    private record Ref(int refIndex, int start, int end, List<MaskRle> masks) {
    }

    private SourceRecord toRecord(RecordCheck c, long index, JsonNode outer) {
        if (!c.requireObject(outer, "$")) {
            return null;
        }
        if (outer.size() != 1) {
            c.fail("$", "expected an object with exactly one key (the image file name), found " + outer.size() + " keys");
            return null;
        }
        Map.Entry<String, JsonNode> entry = outer.properties().iterator().next();
        String key = entry.getKey();
        JsonNode n = entry.getValue();
        if (!c.requireObject(n, key)) {
            return null;
        }
        String fileName = c.requiredString(n, "img_file_name", key);
        String rawCaption = c.requiredString(n, "caption", key);
        JsonNode refs = c.requiredArray(n, "refs", key);
        if (fileName == null || rawCaption == null || refs == null) {
            return null;
        }
        Optional<ImageDimensions.Size> size = dimensions.lookup(fileName);
        if (size.isEmpty()) {
            c.fail(key + ".img_file_name", "no readable image " + fileName
                    + ": the image size is needed to rasterise the polygons");
            return null;
        }
        int h = size.get().height();
        int w = size.get().width();
        String caption = CaptionText.loaderStrip(rawCaption).text();
        List<String> warnings = new ArrayList<>();
        CaptionBuilder b = new CaptionBuilder(caption, warnings);
        List<Ref> located = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            String path = key + ".refs[" + i + "]";
            JsonNode ref = refs.get(i);
            if (!c.requireObject(ref, path)) {
                continue;
            }
            String sentence = c.requiredString(ref, "sentence", path);
            List<double[]> polygons = polygons(c, ref, path + ".segmentation");
            if (sentence == null || polygons == null) {
                continue;
            }
            MaskRle mask;
            try {
                mask = new MaskRle(h, w, codec.fromPolygons(polygons, h, w));
            } catch (IllegalArgumentException e) {
                c.fail(path + ".segmentation", "cannot rasterise: " + e.getMessage());
                continue;
            }
            Optional<PhraseLocator.Span> span = PhraseLocator.firstIgnoreCase(caption, sentence.strip());
            if (span.isEmpty()) {
                warnings.add("ref " + i + " sentence \"" + sentence + "\" not found in the caption; its mask is kept unlinked");
                b.unlinked(List.of(mask));
            } else {
                located.add(new Ref(i, span.get().start(), span.get().end(), new ArrayList<>(List.of(mask))));
            }
        }
        if (!c.ok()) {
            return null;
        }
        located.sort(Comparator.comparingInt(Ref::start).thenComparingInt(Ref::end));
        List<Ref> merged = new ArrayList<>();
        for (Ref r : located) {
            Ref last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.start() == r.start() && last.end() == r.end()) {
                last.masks().addAll(r.masks());
                warnings.add("refs " + last.refIndex() + " and " + r.refIndex() + " locate the same phrase \""
                        + caption.substring(r.start(), r.end()) + "\": merged as instances of one phrase");
            } else {
                merged.add(r);
            }
        }
        for (int i = 0; i < merged.size(); i++) {
            Ref r = merged.get(i);
            int end = r.end();
            if (i + 1 < merged.size() && end > merged.get(i + 1).start()) {
                end = merged.get(i + 1).start();
                while (end > r.start() && CaptionText.isPythonSpace(caption.charAt(end - 1))) {
                    end--;
                }
                String before = caption.substring(r.start(), r.end());
                if (end <= r.start()) {
                    warnings.add("ref " + r.refIndex() + " phrase \"" + before + "\" is covered by the next phrase;"
                            + " nothing is left after trimming, its mask is kept unlinked");
                    b.unlinked(r.masks());
                    continue;
                }
                warnings.add("ref " + r.refIndex() + " phrase \"" + before + "\" overlaps the next phrase; trimmed to \""
                        + caption.substring(r.start(), end) + "\"");
            }
            b.phrase(r.start(), end, r.masks());
        }
        return new SourceRecord(index, fileName, null, h, w, b.build(), warnings);
    }

    private static List<double[]> polygons(RecordCheck c, JsonNode ref, String field) {
        JsonNode seg = ref.get("segmentation");
        if (seg == null) {
            c.fail(field, "missing");
            return null;
        }
        if (!seg.isArray() || seg.isEmpty()) {
            c.fail(field, "expected a non-empty list of polygons, found " + Json.describe(seg));
            return null;
        }
        List<double[]> polygons = new ArrayList<>();
        for (int k = 0; k < seg.size(); k++) {
            JsonNode poly = seg.get(k);
            String path = field + "[" + k + "]";
            if (!poly.isArray()) {
                c.fail(path, "expected a flat list of x, y coordinates, found " + Json.describe(poly));
                return null;
            }
            if (poly.size() < 6 || poly.size() % 2 != 0) {
                c.fail(path, "a polygon needs an even number (at least 6) of coordinates, found " + poly.size());
                return null;
            }
            double[] xy = new double[poly.size()];
            for (int j = 0; j < xy.length; j++) {
                JsonNode v = poly.get(j);
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    c.fail(path, "coordinate " + j + " is not a finite number: " + Json.describe(v));
                    return null;
                }
                xy[j] = v.asDouble();
            }
            polygons.add(xy);
        }
        return polygons;
    }
}
