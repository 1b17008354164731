package studio.grounding.interchange;

import java.util.List;
import java.util.Objects;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.PhraseListing;

/**
 * One image with its grounded caption, in a form independent of the file format it came from or goes to.
 * Readers deliver these; writers consume them.
 *
 * <p>Spans inside {@link #caption()} are Java {@code String} (UTF-16) indices into the normalised caption;
 * readers and writers convert from and to the Python code point offsets used in the files.
 *
 * @param index    0-based position of the record in its source (array element, image of a COCO file, JSONL line,
 *                 prediction file in name order); writers ignore it except in their warnings
 * @param fileName image file name, e.g. {@code sa_10010541.jpg}
 * @param imageId  image id as written in the source (numbers are rendered as decimal text), {@code null} if absent
 * @param height   image height in pixels, {@code null} if unknown
 * @param width    image width in pixels, {@code null} if unknown
 * @param caption  caption, phrases with their masks, and masks linked to no phrase
 * @param warnings things the annotator must see that did not make the record invalid
 *                 (phrase not located, record the official loader would skip, phrase/mask count mismatch, ...)
 * @param metadata optional platform metadata (status, revision, origin, model); {@link RecordMetadata#NONE} if none
 * @param otherReferences further reference captions of the image after {@code caption}'s own (a COCO GCG caption
 *                 file may hold several caption annotations per image); empty when there are none
 * @param listing  for a model's prediction, its phrases and masks as listed (GLaMM's order), or null
 */
public record SourceRecord(long index, String fileName, String imageId, Integer height, Integer width,
                           GroundedCaption caption, List<String> warnings, RecordMetadata metadata,
                           List<String> otherReferences, PhraseListing listing) {

    public SourceRecord {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(caption, "caption");
        warnings = List.copyOf(warnings);
        metadata = metadata == null ? RecordMetadata.NONE : metadata;
        otherReferences = otherReferences == null ? List.of() : List.copyOf(otherReferences);
    }

    /** A record with platform metadata and no further references. */
    public SourceRecord(long index, String fileName, String imageId, Integer height, Integer width,
                        GroundedCaption caption, List<String> warnings, RecordMetadata metadata) {
        this(index, fileName, imageId, height, width, caption, warnings, metadata, List.of(), null);
    }

    /** A record with further references and no listing. */
    public SourceRecord(long index, String fileName, String imageId, Integer height, Integer width,
                        GroundedCaption caption, List<String> warnings, RecordMetadata metadata,
                        List<String> otherReferences) {
        this(index, fileName, imageId, height, width, caption, warnings, metadata, otherReferences, null);
    }

    /** A record without platform metadata. */
    public SourceRecord(long index, String fileName, String imageId, Integer height, Integer width,
                        GroundedCaption caption, List<String> warnings) {
        this(index, fileName, imageId, height, width, caption, warnings, RecordMetadata.NONE);
    }

    /** The file name without its extension ({@code sa_1.jpg} gives {@code sa_1}): COCO GCG files use it as image id. */
    public String fileStem() {
        int slash = Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\'));
        String base = fileName.substring(slash + 1);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** This record with other metadata. */
    public SourceRecord withMetadata(RecordMetadata newMetadata) {
        return new SourceRecord(index, fileName, imageId, height, width, caption, warnings, newMetadata,
                otherReferences, listing);
    }
}
