package studio.grounding.interchange;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;

/**
 * Writes Grounding Studio's own lossless JSONL format: one JSON object per line, one line per record.
 * {@link JsonlReader} reads it back.
 *
 * <pre>{@code
 * {"file_name": "sa_1.jpg", "image_id": "sa_1", "height": 1500, "width": 2250,
 *  "caption": "A man rides a horse.",
 *  "phrases": [{"start": 0, "end": 5, "text": "A man", "masks": [{"size": [1500, 2250], "counts": "..."}]}],
 *  "unlinked_masks": [{"size": [1500, 2250], "counts": "..."}],
 *  "warnings": ["..."],
 *  "metadata": {"status": "accepted", "revision_id": "42", "origin": "GranDf_HA_GCG_train.json", "model": null,
 *               "extra": {"key": "value"}}}
 * }</pre>
 *
 * {@code start}/{@code end} are Python code point offsets, end exclusive, like every GranD_f file. Unlike GranD_f,
 * repeated phrase texts, phrases without masks and unlinked masks are all kept. {@code image_id}, {@code height},
 * {@code width} are omitted when unknown; {@code warnings} and {@code metadata} when empty. Constant memory: each
 * record is serialised on its own and written as one line.
 */
public final class JsonlWriter implements Closeable {

    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long written;

    /** Writes to {@code out}; closing the writer closes {@code out}. */
    public JsonlWriter(OutputStream out) {
        this.out = out;
    }

    /** Creates (or replaces) {@code file} and writes to it. */
    public static JsonlWriter create(Path file) throws IOException {
        return new JsonlWriter(Files.newOutputStream(file));
    }

    /** Writes one record as one line. Nothing is lost, so there are no export warnings. */
    public void write(SourceRecord r) {
        line.reset();
        try (JsonGenerator gen = Json.MAPPER.createGenerator(line, JsonEncoding.UTF8)) {
            String caption = r.caption().caption();
            gen.writeStartObject();
            gen.writeStringProperty("file_name", r.fileName());
            if (r.imageId() != null) {
                gen.writeStringProperty("image_id", r.imageId());
            }
            if (r.height() != null) {
                gen.writeNumberProperty("height", r.height());
            }
            if (r.width() != null) {
                gen.writeNumberProperty("width", r.width());
            }
            gen.writeStringProperty("caption", caption);
            gen.writeName("phrases");
            gen.writeStartArray();
            for (PhraseSpan p : r.caption().phrases()) {
                gen.writeStartObject();
                gen.writeNumberProperty("start", CaptionText.toCodePointIndex(caption, p.start()));
                gen.writeNumberProperty("end", CaptionText.toCodePointIndex(caption, p.end()));
                gen.writeStringProperty("text", p.text());
                gen.writeName("masks");
                MaskJson.writeMasks(gen, p.masks());
                gen.writeEndObject();
            }
            gen.writeEndArray();
            gen.writeName("unlinked_masks");
            MaskJson.writeMasks(gen, r.caption().unlinkedMasks());
            if (!r.warnings().isEmpty()) {
                gen.writeName("warnings");
                gen.writeStartArray();
                for (String w : r.warnings()) {
                    gen.writeString(w);
                }
                gen.writeEndArray();
            }
            RecordMetadata m = r.metadata();
            if (!m.isEmpty()) {
                gen.writeName("metadata");
                gen.writeStartObject();
                gen.writeStringProperty("status", m.status());
                gen.writeStringProperty("revision_id", m.revisionId());
                gen.writeStringProperty("origin", m.origin());
                gen.writeStringProperty("model", m.model());
                gen.writeName("extra");
                gen.writeStartObject();
                for (Map.Entry<String, String> e : new java.util.TreeMap<>(m.extra()).entrySet()) {
                    gen.writeStringProperty(e.getKey(), e.getValue());
                }
                gen.writeEndObject();
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }
        try {
            line.writeTo(out);
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written++;
    }

    /** Number of records written so far. */
    public long recordsWritten() {
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
