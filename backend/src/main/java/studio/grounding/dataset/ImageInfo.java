package studio.grounding.dataset;

/** An image of a dataset, as stored: metadata only, the bytes are in the {@link ImageStore}. */
public record ImageInfo(long id, long datasetId, String fileName, String contentHash, String mediaType, long byteSize,
                        int width, int height, String source, Split split) {

    /** The file name without its extension: the image id GranD_f and COCO GCG files use. */
    public String stem() {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
