package studio.grounding.annotation;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A revision to append to an item's history.
 *
 * @param itemId         the item
 * @param parentId       the revision this one was made from, or null for the first
 * @param caption        the grounded caption
 * @param origin         import, model or human
 * @param author         user name, or the importer / worker that made it
 * @param modelVersionId the model version when origin is MODEL, else null
 * @param source         where it came from (file and record, job), free text, may be null
 * @param warnings       what the annotator must see (phrase not located, count mismatch, ...)
 * @param timings        per-stage timings in milliseconds for model output, may be empty
 * @param imageHeight    the item's image height: every mask must have it
 * @param imageWidth     the item's image width: every mask must have it
 * @param keys           the stable keys of the phrases and masks ({@link ElementKeys}); null: their positions
 */
public record NewRevision(long itemId, Long parentId, GroundedCaption caption, Origin origin, String author,
                          Long modelVersionId, String source, List<String> warnings, Map<String, Double> timings,
                          int imageHeight, int imageWidth, ElementKeys keys) {

    /** A revision whose phrases and masks get their positions as keys (imports, model output). */
    public NewRevision(long itemId, Long parentId, GroundedCaption caption, Origin origin, String author,
                       Long modelVersionId, String source, List<String> warnings, Map<String, Double> timings,
                       int imageHeight, int imageWidth) {
        this(itemId, parentId, caption, origin, author, modelVersionId, source, warnings, timings, imageHeight,
                imageWidth, null);
    }

    public NewRevision {
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(author, "author");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        timings = timings == null ? Map.of() : Map.copyOf(timings);
        if (keys == null) {
            keys = ElementKeys.byPosition(caption);
        } else if (!keys.fits(caption)) {
            throw new IllegalArgumentException("keys: " + keys.phrases().size() + " phrase and " + keys.masks().size()
                    + " mask keys for " + caption.phrases().size() + " phrases and " + caption.allMasks().size()
                    + " masks");
        }
        if (origin == Origin.MODEL && modelVersionId == null) {
            throw new IllegalArgumentException("a model revision needs its model version");
        }
    }
}
