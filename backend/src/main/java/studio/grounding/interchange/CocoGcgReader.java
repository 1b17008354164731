package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the GCG validation/test ground truth pair {@code <split>_gcg_coco_mask_gt.json} +
 * {@code <split>_gcg_coco_caption_gt.json} (what GLaMM's {@code eval/gcg/evaluate.py} reads).
 *
 * <p>The caption file is small and loaded into a map. Every caption annotation of an image is kept, in file order:
 * the first one's caption and labels make the record (evaluate.py's recall reads {@code loadAnns(...)[0]}), the
 * captions of the others become {@link SourceRecord#otherReferences()} (pycocoevalcap scores against all); the mask
 * file is streamed with {@link CocoIndex}. One record per image of the mask file, in file order. The labels of an
 * image are in the order of its masks (label i goes with mask i): each is located in the caption at its first unused
 * occurrence, left to right ({@link PhraseLocator}); a label that repeats the previous label and has no unused
 * occurrence left is another instance of that phrase (the writer emits one label per mask instance). Label/mask
 * count mismatches and unlocatable labels are imported with warnings, as for predictions.
 */
public final class CocoGcgReader implements RecordReader {

    private final MaskCodec codec;

    /** A reader that checks masks with the mask library. */
    public CocoGcgReader() {
        this(MaskCodec.standard());
    }

    CocoGcgReader(MaskCodec codec) {
        this.codec = codec;
    }

    /**
     * Reads {@code maskFile} with the caption file next to it ({@code _mask_gt} replaced by {@code _caption_gt}).
     */
    @Override
    public void read(Path maskFile, RecordSink sink) throws IOException {
        read(maskFile, captionFileFor(maskFile), sink);
    }

    /** The caption file that goes with a mask file. */
    public static Path captionFileFor(Path maskFile) {
        String name = Json.displayName(maskFile);
        String caption = name.contains("_mask_gt") ? name.replace("_mask_gt", "_caption_gt")
                : name.replace(".json", "_caption_gt.json");
        return maskFile.resolveSibling(caption);
    }

    /** Reads a mask file and its caption file. */
    public void read(Path maskFile, Path captionFile, RecordSink sink) throws IOException {
        Map<String, Caption> captions = loadCaptions(captionFile, sink);
        if (captions == null) {
            return;
        }
        String name = Json.displayName(maskFile);
        String captionName = Json.displayName(captionFile);
        CocoIndex.visit(maskFile, sink, group -> {
            RecordCheck c = new RecordCheck(name, group.imageIndex());
            SourceRecord r = toRecord(c, group, captions, captionName);
            if (c.report(sink) && r != null) {
                sink.record(r);
            }
        });
    }

    private record Caption(String caption, List<String> labels, List<String> others) {
    }

    private Map<String, Caption> loadCaptions(Path file, RecordSink sink) throws IOException {
        String name = Json.displayName(file);
        if (Files.size(file) > PredictionReader.MAX_FILE_BYTES) {
            sink.problem(new ImportProblem(name, -1, "$", "caption file of " + Files.size(file)
                    + " bytes is too large to load; nothing is imported"));
            return null;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (tools.jackson.databind.DatabindException e) {
            sink.problem(new ImportProblem(name, -1, "$", "a key appears more than once in an object;"
                    + " nothing is imported without unambiguous captions"));
            return null;
        } catch (JacksonException e) {
            ImportProblem syntax = ImportProblem.syntax(name, -1, e);
            sink.problem(new ImportProblem(name, -1, "$", syntax.reason() + "; nothing is imported without captions",
                    syntax.position()));
            return null;
        }
        RecordCheck c = new RecordCheck(name, -1);
        if (root == null || !c.requireObject(root, "$")) {
            c.report(sink);
            return null;
        }
        JsonNode anns = c.requiredArray(root, "annotations", "");
        if (anns == null) {
            c.report(sink);
            return null;
        }
        Map<String, Caption> captions = new HashMap<>();
        for (int i = 0; i < anns.size(); i++) {
            String path = "annotations[" + i + "]";
            JsonNode a = anns.get(i);
            RecordCheck ac = new RecordCheck(name, -1);
            if (!ac.requireObject(a, path)) {
                ac.report(sink);
                continue;
            }
            String imageId = ac.idField(a, "image_id", path, true);
            String caption = ac.requiredString(a, "caption", path);
            JsonNode labelsNode = ac.requiredArray(a, "labels", path);
            List<String> labels = new ArrayList<>();
            if (labelsNode != null) {
                for (int k = 0; k < labelsNode.size(); k++) {
                    if (labelsNode.get(k).isString()) {
                        labels.add(labelsNode.get(k).stringValue());
                    } else {
                        ac.fail(path + ".labels[" + k + "]", "expected a string, found " + Json.describe(labelsNode.get(k)));
                    }
                }
            }
            if (ac.report(sink)) {
                Caption first = captions.get(imageId);
                if (first == null) {
                    captions.put(imageId, new Caption(caption, labels, new ArrayList<>()));
                } else {
                    first.others().add(caption);
                }
            }
        }
        return captions;
    }

    private SourceRecord toRecord(RecordCheck c, CocoIndex.ImageGroup group, Map<String, Caption> captions,
                                  String captionName) {
        JsonNode img = group.image();
        if (!c.requireObject(img, "$")) {
            return null;
        }
        String id = c.idField(img, "id", "", true);
        Integer height = c.intField(img, "height", "", false);
        Integer width = c.intField(img, "width", "", false);
        JsonNode fileNode = img.get("file_name");
        String fileName = fileNode != null && fileNode.isString() ? fileNode.stringValue() : id + ".jpg";
        MaskSizes sizes = new MaskSizes(height, width);
        List<MaskRle> masks = new ArrayList<>();
        for (CocoIndex.Annotation a : group.annotations()) {
            String path = "annotations[" + a.index() + "]";
            JsonNode seg = a.node().get("segmentation");
            if (seg == null) {
                c.fail(path + ".segmentation", "missing");
                continue;
            }
            MaskRle m = c.mask(seg, path + ".segmentation", sizes, codec);
            if (m != null) {
                masks.add(m);
            }
        }
        if (id == null) {
            return null;
        }
        Caption caption = captions.get(id);
        if (caption == null) {
            c.fail("id", "no caption for image " + id + " in " + captionName);
        }
        if (!c.ok()) {
            return null;
        }
        List<String> warnings = new ArrayList<>();
        CaptionBuilder b = new CaptionBuilder(CaptionText.loaderStrip(caption.caption()).text(), warnings);
        PhraseMaskPairing.pair(b, caption.labels(), masks, "label", "mask", true);
        GroundedCaption built = b.build();
        // the labels and masks as written, so that an unchanged record is written back exactly
        return new SourceRecord(group.imageIndex(), fileName, id, sizes.height(), sizes.width(), built, warnings,
                RecordMetadata.NONE, caption.others(), SourceListing.of(caption.labels(), masks, built));
    }
}
