package studio.grounding.interchange;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;

/**
 * Writes a GranD_f HA-style JSON array, the format GLaMM's GCG training loader reads: per record {@code file_name},
 * {@code image_id}, {@code height}, {@code width}, {@code caption} and {@code groundings} keyed by phrase text with
 * {@code token_positives} (Python code point offsets) and {@code rle_masks}. Records are streamed one at a time in
 * constant memory; call {@link #close()} to finish the array.
 *
 * <p>What the format cannot express is left out of the file and reported as an {@link ExportWarning} returned by
 * {@link #write(SourceRecord)} (the record itself is always written):
 * <ul>
 *   <li><b>Repeated phrase text.</b> {@code groundings} is keyed by the phrase text, and the loader uses the key as
 *       the label, so a suffix would break {@code token_positives} vs. text. The <em>first</em> (leftmost) phrase with
 *       a given text is kept; later phrases with the same text, and their masks, are left out and warned about.</li>
 *   <li><b>Unlinked masks</b> (masks of no phrase) are left out and warned about.</li>
 *   <li><b>A phrase without masks</b> is written with {@code "rle_masks": []} (the loader reads an empty mask) and
 *       warned about.</li>
 *   <li><b>Caption with surrounding quotes or blanks</b>: the loader strips them, so the caption is written stripped
 *       and the spans shifted; a phrase that lies in the stripped part is left out and warned about.</li>
 * </ul>
 * {@code image_id} defaults to the file stem, {@code height}/{@code width} to the size of the first mask; when
 * neither is known they are omitted (the loader reads the image itself).
 */
public final class GrandfWriter implements Closeable {

    private final JsonGenerator gen;
    private long written;

    /** Writes to {@code out}; closing the writer closes {@code out}. */
    public GrandfWriter(OutputStream out) {
        this.gen = Json.MAPPER.createGenerator(out, JsonEncoding.UTF8);
        gen.writeStartArray();
    }

    /** Creates (or replaces) {@code file} and writes to it. */
    public static GrandfWriter create(Path file) throws IOException {
        return new GrandfWriter(Files.newOutputStream(file));
    }

    /**
     * Writes one record.
     *
     * @return what could not be expressed for this record (empty when it was written as is)
     */
    public List<ExportWarning> write(SourceRecord r) {
        List<ExportWarning> warnings = new ArrayList<>();
        CaptionText.Stripped stripped = CaptionText.loaderStrip(r.caption().caption());
        String raw = r.caption().caption();
        int leadChars = raw.offsetByCodePoints(0, stripped.leadingCodePoints());
        String caption = stripped.text();

        gen.writeStartObject();
        gen.writeStringProperty("file_name", r.fileName());
        gen.writeStringProperty("image_id", r.imageId() != null ? r.imageId() : r.fileStem());
        Integer h = r.height();
        Integer w = r.width();
        List<MaskRle> all = r.caption().allMasks();
        if ((h == null || w == null) && !all.isEmpty()) {
            h = all.get(0).height();
            w = all.get(0).width();
        }
        if (h != null && w != null) {
            gen.writeNumberProperty("height", h);
            gen.writeNumberProperty("width", w);
        }
        gen.writeStringProperty("caption", caption);
        gen.writeName("groundings");
        gen.writeStartObject();
        Set<String> keys = new HashSet<>();
        for (PhraseSpan p : r.caption().phrases()) {
            int start = p.start() - leadChars;
            int end = p.end() - leadChars;
            if (start < 0 || end > caption.length() || start >= end) {
                warnings.add(warn(r, "phrase \"" + p.text() + "\" [" + p.start() + ", " + p.end()
                        + ") lies in the quotes or blanks the loader strips from the caption; left out with its "
                        + p.masks().size() + " mask(s)"));
                continue;
            }
            if (!keys.add(p.text())) {
                warnings.add(warn(r, "phrase text \"" + p.text() + "\" repeats at [" + p.start() + ", " + p.end()
                        + "); GranD_f keys groundings by text, so only the first is kept and this one is left out with its "
                        + p.masks().size() + " mask(s)"));
                continue;
            }
            if (p.masks().isEmpty()) {
                warnings.add(warn(r, "phrase \"" + p.text() + "\" has no mask; written with empty rle_masks"));
            }
            gen.writeName(p.text());
            gen.writeStartObject();
            gen.writeName("token_positives");
            gen.writeStartArray();
            gen.writeNumber(CaptionText.toCodePointIndex(caption, start));
            gen.writeNumber(CaptionText.toCodePointIndex(caption, end));
            gen.writeEndArray();
            gen.writeName("rle_masks");
            MaskJson.writeMasks(gen, p.masks());
            gen.writeEndObject();
        }
        gen.writeEndObject();
        gen.writeEndObject();
        if (!r.caption().unlinkedMasks().isEmpty()) {
            warnings.add(warn(r, r.caption().unlinkedMasks().size()
                    + " mask(s) linked to no phrase cannot be expressed in GranD_f and were left out"));
        }
        written++;
        return warnings;
    }

    /** Number of records written so far. */
    public long recordsWritten() {
        return written;
    }

    /** Ends the array and closes the output. */
    @Override
    public void close() {
        gen.writeEndArray();
        gen.close();
    }

    private static ExportWarning warn(SourceRecord r, String reason) {
        return new ExportWarning(r.index(), r.fileName(), reason);
    }
}
