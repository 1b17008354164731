package studio.grounding.interchange;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The input formats, with their readers, and a guess from the file name as GLaMM and GranD_f name their files.
 */
public enum InterchangeFormat {

    /** {@code GranDf_HA_GCG_train.json}, {@code OpenPsgGCG_{train,val}.json}: {@link GrandfReader}. */
    GRANDF,
    /** {@code flickr_mergedGT_GCG_{train,val}.json}: {@link FlickrReader}. */
    FLICKR,
    /** {@code RefCOCOg_GCG_{train,val}.json}: {@link RefCocogReader} (needs the images for their size). */
    REFCOCOG,
    /** {@code <split>_gcg_coco_mask_gt.json} with its {@code _caption_gt} sibling: {@link CocoGcgReader}. */
    COCO_GCG,
    /** A directory of GLaMM {@code <stem>.json} predictions: {@link PredictionReader}. */
    PREDICTIONS,
    /** Grounding Studio's own {@code .jsonl}: {@link JsonlReader}. */
    JSONL;

    /**
     * The format GLaMM's naming suggests for {@code input}: a directory is {@link #PREDICTIONS}; otherwise the file
     * name decides. Empty when the name says nothing (the caller must then ask the user).
     */
    public static Optional<InterchangeFormat> guess(Path input) {
        if (Files.isDirectory(input)) {
            return Optional.of(PREDICTIONS);
        }
        String name = Json.displayName(input).toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl")) {
            return Optional.of(JSONL);
        }
        if (!name.endsWith(".json")) {
            return Optional.empty();
        }
        if (name.contains("_gcg_coco_mask_gt")) {
            return Optional.of(COCO_GCG);
        }
        if (name.startsWith("flickr")) {
            return Optional.of(FLICKR);
        }
        if (name.startsWith("refcocog")) {
            return Optional.of(REFCOCOG);
        }
        if (name.startsWith("grandf") || name.startsWith("openpsg")) {
            return Optional.of(GRANDF);
        }
        return Optional.empty();
    }

    /**
     * The reader for this format.
     *
     * @param images image sizes, used only by {@link #REFCOCOG} (may be {@code null} for the others)
     * @throws IllegalArgumentException for {@link #REFCOCOG} without {@code images}
     */
    public RecordReader reader(ImageDimensions images) {
        return switch (this) {
            case GRANDF -> new GrandfReader();
            case FLICKR -> new FlickrReader();
            case REFCOCOG -> {
                if (images == null) {
                    throw new IllegalArgumentException("RefCOCOg files need image sizes: pass ImageDimensions");
                }
                yield new RefCocogReader(images);
            }
            case COCO_GCG -> new CocoGcgReader();
            case PREDICTIONS -> new PredictionReader();
            case JSONL -> new JsonlReader();
        };
    }
}
