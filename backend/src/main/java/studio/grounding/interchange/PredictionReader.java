package studio.grounding.interchange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import studio.grounding.annotation.GroundedCaption;
import studio.grounding.annotation.MaskRle;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads GLaMM predictions as written by {@code eval/gcg/infer.py}: a directory of {@code <image stem>.json} files
 * {@code {image_id, caption, phrases: [...], pred_masks: [{size, counts}]}}.
 *
 * <p>Files are read in name order; {@link SourceRecord#index()} is the position in that order and every problem
 * names its own file. One file is one image, so each is parsed whole; a syntax error loses that file only.
 * Phrase i goes with mask i. Count mismatches are imported, not rejected: extra masks become unlinked masks, extra
 * phrases phrases without a mask, with a warning. Phrases are located with {@link PhraseLocator} (first unused
 * occurrence, left to right); an unlocatable phrase is a warning and its mask is kept unlinked. {@code file_name} is
 * {@code <image_id>.jpg}; {@code height}/{@code width} come from the masks. Each record also carries the file's own
 * listing ({@link SourceRecord#listing()}), which evaluate.py scores as is.
 */
public final class PredictionReader implements RecordReader {

    /** A prediction holds one image; anything bigger is not a prediction and is not loaded into memory. */
    static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

    private final MaskCodec codec;

    /** A reader that checks masks with the mask library. */
    public PredictionReader() {
        this(MaskCodec.standard());
    }

    PredictionReader(MaskCodec codec) {
        this.codec = codec;
    }

    /**
     * @param directory the prediction directory (only its {@code *.json} files are read, not sub-directories)
     */
    @Override
    public void read(Path directory, RecordSink sink) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        long index = 0;
        for (Path f : files) {
            readFile(f, index++, sink);
        }
    }

    /** Reads one prediction file as record {@code index}. */
    public void readFile(Path file, long index, RecordSink sink) throws IOException {
        String name = Json.displayName(file);
        if (Files.size(file) > MAX_FILE_BYTES) {
            sink.problem(new ImportProblem(name, index, "$", "file of " + Files.size(file)
                    + " bytes is far too large for the prediction of one image; not read"));
            return;
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (tools.jackson.databind.DatabindException e) {
            sink.problem(new ImportProblem(name, index, "$", Json.REPEATED_KEY));
            return;
        } catch (JacksonException e) {
            sink.problem(ImportProblem.syntax(name, index, e));
            return;
        }
        RecordCheck c = new RecordCheck(name, index);
        SourceRecord r = toRecord(c, name, index, n);
        if (c.report(sink) && r != null) {
            sink.record(r);
        }
    }

    private SourceRecord toRecord(RecordCheck c, String name, long index, JsonNode n) {
        if (n == null || n.isMissingNode()) {
            c.fail("$", "the file is empty");
            return null;
        }
        if (!c.requireObject(n, "$")) {
            return null;
        }
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        String imageId = c.idField(n, "image_id", "", false);
        String rawCaption = c.requiredString(n, "caption", "");
        JsonNode phrasesNode = c.requiredArray(n, "phrases", "");
        JsonNode masksNode = c.requiredArray(n, "pred_masks", "");
        List<String> phrases = new ArrayList<>();
        if (phrasesNode != null) {
            for (int i = 0; i < phrasesNode.size(); i++) {
                JsonNode p = phrasesNode.get(i);
                if (p.isString()) {
                    phrases.add(p.stringValue().strip());
                } else {
                    c.fail("phrases[" + i + "]", "expected a string, found " + Json.describe(p));
                }
            }
        }
        MaskSizes sizes = new MaskSizes(null, null);
        List<MaskRle> masks = new ArrayList<>();
        if (masksNode != null) {
            for (int k = 0; k < masksNode.size(); k++) {
                MaskRle m = c.mask(masksNode.get(k), "pred_masks[" + k + "]", sizes, codec);
                if (m != null) {
                    masks.add(m);
                }
            }
        }
        if (!c.ok()) {
            return null;
        }
        String id = imageId != null ? imageId : stem;
        List<String> warnings = new ArrayList<>();
        CaptionBuilder b = new CaptionBuilder(CaptionText.loaderStrip(rawCaption).text(), warnings);
        PhraseMaskPairing.pair(b, phrases, masks, "phrase", "mask", false);
        GroundedCaption caption = b.build();
        return new SourceRecord(index, id + ".jpg", id, sizes.height(), sizes.width(), caption, warnings,
                RecordMetadata.NONE, List.of(), SourceListing.of(phrases, masks, caption));
    }
}
