package studio.grounding.interchange;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import studio.grounding.annotation.MaskRle;
import studio.grounding.annotation.PhraseSpan;
import tools.jackson.core.JsonEncoding;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;

/**
 * Writes the GCG ground truth pair that GLaMM's {@code eval/gcg/evaluate.py} reads, in one streaming pass and
 * constant memory:
 * <ul>
 *   <li>{@code <split>_gcg_coco_mask_gt.json}: {@code categories} (one, id 1), {@code annotations}
 *       {@code {id, image_id, category_id: 1, segmentation: {size, counts}, area, bbox, iscrowd: 0}} (one per mask
 *       instance, ids from 1) and {@code images} {@code {id, file_name, height, width}} with {@code id} = file stem;</li>
 *   <li>{@code <split>_gcg_coco_caption_gt.json}: {@code annotations} {@code {id, image_id, caption, labels}} (ids
 *       from 1, unique: pycocotools' {@code COCO()} indexes them), the record's own first with one
 *       label per mask instance, in mask order, then one per further reference caption ({@code labels: []}), and the
 *       same {@code images}.</li>
 * </ul>
 * Both files are written at once with two generators. COCO puts {@code images} and {@code annotations} side by side,
 * so to stay in one pass the annotations are streamed straight to the outputs while the (small) image entries go to
 * a temporary file that is copied in as {@code images} on {@link #close()}: {@code images} comes last, which JSON
 * readers (pycocotools, {@code json.load}) don't mind.
 *
 * <p>A record with its file's own listing ({@link SourceRecord#listing()}: an imported revision nobody changed) is
 * written as listed: its labels as they were written ("the man" stays "the man" where the caption says "The man"),
 * its masks in their order. Otherwise, export warnings: phrases without masks get no label (they can't be evaluated), unlinked masks are left out,
 * and a phrase that {@link CocoGcgReader} would locate elsewhere (its text also occurs, unused, earlier in the
 * caption) is written but flagged, since the labels carry no offsets.
 */
public final class CocoGcgWriter implements Closeable {

    private final MaskCodec codec;
    private final JsonGenerator masks;
    private final JsonGenerator captions;
    private final Path imagesTemp;
    private final JsonGenerator images;
    private long annotationId;
    private long captionAnnotationId;
    private long written;

    /** File name of the mask ground truth for {@code split}, e.g. {@code val_gcg_coco_mask_gt.json}. */
    public static String maskFileName(String split) {
        return split + "_gcg_coco_mask_gt.json";
    }

    /** File name of the caption ground truth for {@code split}, e.g. {@code val_gcg_coco_caption_gt.json}. */
    public static String captionFileName(String split) {
        return split + "_gcg_coco_caption_gt.json";
    }

    /** Creates (or replaces) both files of {@code split} in {@code directory}. */
    public static CocoGcgWriter create(Path directory, String split) throws IOException {
        return new CocoGcgWriter(Files.newOutputStream(directory.resolve(maskFileName(split))),
                Files.newOutputStream(directory.resolve(captionFileName(split))), MaskCodec.standard());
    }

    /** Writes to the two streams; closing the writer closes both. */
    public CocoGcgWriter(OutputStream maskOut, OutputStream captionOut) throws IOException {
        this(maskOut, captionOut, MaskCodec.standard());
    }

    CocoGcgWriter(OutputStream maskOut, OutputStream captionOut, MaskCodec codec) throws IOException {
        this.codec = codec;
        this.imagesTemp = Files.createTempFile("gcg-images-", ".json");
        this.images = Json.MAPPER.createGenerator(Files.newOutputStream(imagesTemp), JsonEncoding.UTF8);
        images.writeStartArray();
        this.masks = Json.MAPPER.createGenerator(maskOut, JsonEncoding.UTF8);
        masks.writeStartObject();
        masks.writeName("categories");
        masks.writeStartArray();
        masks.writeStartObject();
        masks.writeNumberProperty("id", 1);
        masks.writeStringProperty("name", "object");
        masks.writeEndObject();
        masks.writeEndArray();
        masks.writeName("annotations");
        masks.writeStartArray();
        this.captions = Json.MAPPER.createGenerator(captionOut, JsonEncoding.UTF8);
        captions.writeStartObject();
        captions.writeName("annotations");
        captions.writeStartArray();
    }

    /**
     * Writes one image: its masks, its caption with labels, and its image entry.
     *
     * @return what could not be expressed for this record
     */
    public List<ExportWarning> write(SourceRecord r) {
        List<ExportWarning> warnings = new ArrayList<>();
        String id = r.fileStem();
        String caption = r.caption().caption();
        List<String> labels = new ArrayList<>();
        PhraseLocator relocate = new PhraseLocator(caption);
        if (r.listing() != null) {
            // the record's own file listing (an unchanged import): labels and masks exactly as they were written
            r.listing().masks(r.caption()).forEach(m -> writeMaskAnnotation(id, m));
            labels.addAll(r.listing().phrases());
        }
        for (PhraseSpan p : r.listing() != null ? List.<PhraseSpan>of() : r.caption().phrases()) {
            if (p.masks().isEmpty()) {
                warnings.add(warn(r, "phrase \"" + p.text() + "\" has no mask: no label is written for it"));
                continue;
            }
            // replay what CocoGcgReader will do with these labels, and flag what it would read differently
            for (int j = 0; j < p.masks().size(); j++) {
                Optional<PhraseLocator.Span> back = relocate.locate(p.text());
                if (j == 0 && (back.isEmpty() || back.get().start() != p.start())) {
                    warnings.add(warn(r, "phrase \"" + p.text() + "\" at [" + p.start() + ", " + p.end()
                            + ") will be read back at another occurrence: COCO GCG labels carry no offsets"));
                } else if (j > 0 && back.isPresent()) {
                    warnings.add(warn(r, "mask " + (j + 1) + " of phrase \"" + p.text() + "\" will be read back as a"
                            + " separate phrase at [" + back.get().start() + ", " + back.get().end() + ")"));
                }
                writeMaskAnnotation(id, p.masks().get(j));
                labels.add(p.text());
            }
        }
        if (r.listing() == null && !r.caption().unlinkedMasks().isEmpty()) {
            warnings.add(warn(r, r.caption().unlinkedMasks().size()
                    + " mask(s) linked to no phrase have no label and were left out"));
        }
        captions.writeStartObject();
        // pycocotools' COCO() indexes annotations by id (KeyError('id') without one); evaluate.py loads this file so
        captions.writeNumberProperty("id", ++captionAnnotationId);
        captions.writeStringProperty("image_id", id);
        captions.writeStringProperty("caption", caption);
        captions.writeName("labels");
        captions.writeStartArray();
        for (String l : labels) {
            captions.writeString(l);
        }
        captions.writeEndArray();
        captions.writeEndObject();
        for (String reference : r.otherReferences()) {
            // further references: pycocoevalcap scores against every caption annotation of the image; recall reads
            // only the first one's labels
            captions.writeStartObject();
            captions.writeNumberProperty("id", ++captionAnnotationId);
            captions.writeStringProperty("image_id", id);
            captions.writeStringProperty("caption", reference);
            captions.writeName("labels");
            captions.writeStartArray();
            captions.writeEndArray();
            captions.writeEndObject();
        }

        Integer h = r.height();
        Integer w = r.width();
        List<MaskRle> all = r.caption().allMasks();
        if ((h == null || w == null) && !all.isEmpty()) {
            h = all.getFirst().height();
            w = all.getFirst().width();
        }
        images.writeStartObject();
        images.writeStringProperty("id", id);
        images.writeStringProperty("file_name", r.fileName());
        if (h != null && w != null) {
            images.writeNumberProperty("height", h);
            images.writeNumberProperty("width", w);
        } else {
            warnings.add(warn(r, "image size unknown: height and width left out"));
        }
        images.writeEndObject();
        written++;
        return warnings;
    }

    private void writeMaskAnnotation(String imageId, MaskRle m) {
        masks.writeStartObject();
        masks.writeNumberProperty("id", ++annotationId);
        masks.writeStringProperty("image_id", imageId);
        masks.writeNumberProperty("category_id", 1);
        masks.writeName("segmentation");
        MaskJson.writeMask(masks, m);
        masks.writeNumberProperty("area", codec.area(m.counts(), m.height(), m.width()));
        masks.writeName("bbox");
        masks.writeStartArray();
        for (double v : codec.bbox(m.counts(), m.height(), m.width())) {
            masks.writeNumber(v);
        }
        masks.writeEndArray();
        masks.writeNumberProperty("iscrowd", 0);
        masks.writeEndObject();
    }

    /** Number of records written so far. */
    public long recordsWritten() {
        return written;
    }

    /** Appends {@code images} to both files, closes them and deletes the temporary file. */
    @Override
    public void close() throws IOException {
        try {
            images.writeEndArray();
            images.close();
            for (JsonGenerator g : List.of(masks, captions)) {
                g.writeEndArray();
                g.writeName("images");
                try (JsonParser p = Json.MAPPER.createParser(imagesTemp)) {
                    p.nextToken();
                    g.copyCurrentStructure(p);
                }
                g.writeEndObject();
                g.close();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            Files.deleteIfExists(imagesTemp);
        }
    }

    private static ExportWarning warn(SourceRecord r, String reason) {
        return new ExportWarning(r.index(), r.fileName(), reason);
    }
}
