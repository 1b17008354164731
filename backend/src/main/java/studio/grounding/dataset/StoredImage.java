package studio.grounding.dataset;

/** An image file in the content-addressed store: its SHA-256, size, media type and pixel size. */
public record StoredImage(String contentHash, long byteSize, String mediaType, int width, int height) {
}
