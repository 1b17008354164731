package studio.grounding.interchange;

import java.nio.file.Path;
import java.util.Objects;
import studio.grounding.dataset.Split;

/**
 * An import job.
 *
 * @param dataset     the dataset to import into (created if missing, except for predictions)
 * @param format      the file format
 * @param annotations the annotation file (the mask file for COCO GCG; the directory for predictions)
 * @param captions    the caption file of a COCO GCG pair, else null
 * @param images      the directory with the image files (not needed for predictions)
 * @param model       the model version name (predictions only)
 * @param split       the split the imported images belong to
 * @param startedBy   who runs the import
 */
public record ImportRequest(String dataset, ImportFormat format, Path annotations, Path captions, Path images,
                            String model, Split split, String startedBy) {

    public ImportRequest {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(annotations, "annotations");
        split = split == null ? Split.TRAIN : split;
        startedBy = startedBy == null ? "cli" : startedBy;
        if (format == ImportFormat.COCO_GCG && captions == null) {
            throw new IllegalArgumentException("a COCO GCG import needs the caption file as well as the mask file");
        }
        if (format == ImportFormat.PREDICTIONS && (model == null || model.isBlank())) {
            throw new IllegalArgumentException("a predictions import needs the model version name");
        }
        if (format != ImportFormat.PREDICTIONS && images == null) {
            throw new IllegalArgumentException("an import needs the directory of the image files");
        }
    }
}
