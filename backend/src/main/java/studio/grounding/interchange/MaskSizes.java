package studio.grounding.interchange;

/**
 * Checks that every mask of a record has one size, equal to the record's {@code height}/{@code width} when those
 * are given.
 */
final class MaskSizes {

    private final Integer declaredHeight;
    private final Integer declaredWidth;
    private Integer height;
    private Integer width;

    MaskSizes(Integer declaredHeight, Integer declaredWidth) {
        this.declaredHeight = declaredHeight;
        this.declaredWidth = declaredWidth;
        this.height = declaredHeight;
        this.width = declaredWidth;
    }

    /** Registers a mask size; returns a reason when it disagrees, {@code null} when fine. */
    String accept(int h, int w) {
        if (declaredHeight != null && declaredHeight != h || declaredWidth != null && declaredWidth != w) {
            return "mask size [" + h + ", " + w + "] differs from the image size [height " + declaredHeight
                    + ", width " + declaredWidth + "]";
        }
        if (height != null && height != h || width != null && width != w) {
            return "mask size [" + h + ", " + w + "] differs from the size of the record's other masks ["
                    + height + ", " + width + "]";
        }
        height = h;
        width = w;
        return null;
    }

    /** The image height: declared, else from the masks, else {@code null}. */
    Integer height() {
        return height;
    }

    /** The image width: declared, else from the masks, else {@code null}. */
    Integer width() {
        return width;
    }
}
