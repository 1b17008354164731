package studio.grounding.evaluation;

/**
 * One ground-truth item of an evaluation: the item, its human-accepted revision and its image's file name (whose
 * stem is the image id the metrics see, as in the COCO GCG files).
 */
record GroundTruthItem(long itemId, long revisionId, String fileName) {

    String imageId() {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
