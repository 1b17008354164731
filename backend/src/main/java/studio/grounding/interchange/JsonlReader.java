package studio.grounding.interchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import studio.grounding.annotation.MaskRle;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Reads the JSONL format written by {@link JsonlWriter}. Each non-blank line is one record; its
 * {@link SourceRecord#index()} is its 0-based line number. Spans and masks are checked like in every other reader.
 *
 * <p>Lines are independent, so a syntax error loses only its own line: it is reported (with the line number, the
 * column in that line and the byte offset in the file) and reading goes on with the next line.
 */
public final class JsonlReader implements RecordReader {

    private final MaskCodec codec;

    /** A reader that checks masks with the mask library. */
    public JsonlReader() {
        this(MaskCodec.standard());
    }

    JsonlReader(MaskCodec codec) {
        this.codec = codec;
    }

    @Override
    public void read(Path file, RecordSink sink) throws IOException {
        String name = Json.displayName(file);
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            long lineIndex = 0;
            long lineStart = 0;
            long offset = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                int from = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        line.write(buffer, from, i - from);
                        readLine(name, lineIndex++, lineStart, line.toByteArray(), sink);
                        line.reset();
                        from = i + 1;
                        lineStart = offset + i + 1;
                    }
                }
                line.write(buffer, from, n - from);
                offset += n;
            }
            if (line.size() > 0) {
                readLine(name, lineIndex, lineStart, line.toByteArray(), sink);
            }
        }
    }

    private void readLine(String file, long index, long lineStart, byte[] bytes, RecordSink sink) {
        if (isBlank(bytes)) {
            return;
        }
        JsonNode node;
        try (JsonParser p = Json.MAPPER.createParser(bytes)) {
            p.nextToken();
            node = Json.MAPPER.readTree(p);
            JsonToken extra = p.nextToken();
            if (extra != null) {
                sink.problem(new ImportProblem(file, index, "$", "more than one JSON value on the line",
                        new ImportProblem.Position(index + 1, p.currentTokenLocation().getColumnNr(),
                                lineStart + p.currentTokenLocation().getByteOffset())));
                return;
            }
        } catch (tools.jackson.databind.DatabindException e) {
            sink.problem(new ImportProblem(file, index, "$", Json.REPEATED_KEY));
            return;
        } catch (JacksonException e) {
            ImportProblem.Position pos = ImportProblem.syntax(file, index, e).position();
            sink.problem(new ImportProblem(file, index, "$", ImportProblem.syntax(file, index, e).reason(),
                    new ImportProblem.Position(index + 1, pos.column(),
                            pos.byteOffset() < 0 ? -1 : lineStart + pos.byteOffset())));
            return;
        }
        RecordCheck c = new RecordCheck(file, index);
        SourceRecord r = toRecord(c, index, node);
        if (c.report(sink) && r != null) {
            sink.record(r);
        }
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte x : bytes) {
            if (x != ' ' && x != '\t' && x != '\r') {
                return false;
            }
        }
        return true;
    }

    private SourceRecord toRecord(RecordCheck c, long index, JsonNode n) {
        if (!c.requireObject(n, "$")) {
            return null;
        }
        String fileName = c.requiredString(n, "file_name", "");
        String caption = c.requiredString(n, "caption", "");
        String imageId = c.idField(n, "image_id", "", false);
        Integer height = c.intField(n, "height", "", false);
        Integer width = c.intField(n, "width", "", false);
        JsonNode phrases = c.requiredArray(n, "phrases", "");
        JsonNode unlinkedNode = n.get("unlinked_masks");
        List<String> warnings = new ArrayList<>();
        JsonNode warningsNode = n.get("warnings");
        if (warningsNode != null) {
            if (!warningsNode.isArray()) {
                c.fail("warnings", "expected an array of strings, found " + Json.describe(warningsNode));
            } else {
                for (int i = 0; i < warningsNode.size(); i++) {
                    if (warningsNode.get(i).isString()) {
                        warnings.add(warningsNode.get(i).stringValue());
                    } else {
                        c.fail("warnings[" + i + "]", "expected a string, found " + Json.describe(warningsNode.get(i)));
                    }
                }
            }
        }
        RecordMetadata metadata = metadata(c, n.get("metadata"));
        if (caption == null || phrases == null) {
            return null;
        }
        MaskSizes sizes = new MaskSizes(height, width);
        // a written record keeps its warnings as written; without any, the warnings this read finds are used
        List<String> found = new ArrayList<>();
        CaptionBuilder builder = new CaptionBuilder(caption, found);
        int length = CaptionText.codePointLength(caption);
        for (int i = 0; i < phrases.size(); i++) {
            String path = "phrases[" + i + "]";
            JsonNode p = phrases.get(i);
            if (!c.requireObject(p, path)) {
                continue;
            }
            Integer start = c.intField(p, "start", path, true);
            Integer end = c.intField(p, "end", path, true);
            String text = c.requiredString(p, "text", path);
            JsonNode masksNode = c.requiredArray(p, "masks", path);
            List<MaskRle> masks = masks(c, masksNode, path + ".masks", sizes);
            if (start == null || end == null || text == null) {
                continue;
            }
            if (start >= end || end > length) {
                c.fail(path, "span [" + start + ", " + end + ") is outside the caption of length " + length);
                continue;
            }
            int cs = CaptionText.toCharIndex(caption, start);
            int ce = CaptionText.toCharIndex(caption, end);
            if (!caption.substring(cs, ce).equals(text)) {
                c.fail(path + ".text", "span [" + start + ", " + end + ") is \"" + caption.substring(cs, ce)
                        + "\" in the caption, not \"" + text + "\"");
                continue;
            }
            builder.phrase(cs, ce, masks);
        }
        if (unlinkedNode != null) {
            if (!unlinkedNode.isArray()) {
                c.fail("unlinked_masks", "expected an array, found " + Json.describe(unlinkedNode));
            } else {
                builder.unlinked(masks(c, unlinkedNode, "unlinked_masks", sizes));
            }
        }
        if (!c.ok() || fileName == null) {
            return null;
        }
        var grounded = builder.build();
        return new SourceRecord(index, fileName, imageId, sizes.height(), sizes.width(), grounded,
                warningsNode != null ? warnings : found, metadata);
    }

    private List<MaskRle> masks(RecordCheck c, JsonNode arr, String path, MaskSizes sizes) {
        List<MaskRle> masks = new ArrayList<>();
        if (arr == null) {
            return masks;
        }
        for (int k = 0; k < arr.size(); k++) {
            MaskRle m = c.mask(arr.get(k), path + "[" + k + "]", sizes, codec);
            if (m != null) {
                masks.add(m);
            }
        }
        return masks;
    }

    private static RecordMetadata metadata(RecordCheck c, JsonNode m) {
        if (m == null || m.isNull()) {
            return RecordMetadata.NONE;
        }
        if (!c.requireObject(m, "metadata")) {
            return RecordMetadata.NONE;
        }
        Map<String, String> extra = new HashMap<>();
        JsonNode e = m.get("extra");
        if (e != null && e.isObject()) {
            for (Map.Entry<String, JsonNode> x : e.properties()) {
                if (x.getValue().isString()) {
                    extra.put(x.getKey(), x.getValue().stringValue());
                } else {
                    c.fail("metadata.extra." + x.getKey(), "expected a string, found " + Json.describe(x.getValue()));
                }
            }
        } else if (e != null && !e.isNull()) {
            c.fail("metadata.extra", "expected an object, found " + Json.describe(e));
        }
        return new RecordMetadata(optString(c, m, "status"), optString(c, m, "revision_id"),
                optString(c, m, "origin"), optString(c, m, "model"), extra);
    }

    private static String optString(RecordCheck c, JsonNode m, String name) {
        JsonNode v = m.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            c.fail("metadata." + name, "expected a string, found " + Json.describe(v));
            return null;
        }
        return v.stringValue();
    }
}
