package studio.grounding.interchange;

import java.util.List;

/**
 * The only place where this package touches mask content: everything RLE-specific goes through here, so that the
 * readers and writers can be tested with a stand-in and use the mask library ({@code studio.grounding.mask.Rle}) in
 * production.
 */
interface MaskCodec {

    /**
     * Checks that {@code counts} is a compressed RLE string of an {@code h x w} mask.
     *
     * @throws IllegalArgumentException with a readable reason if it is not
     */
    void check(String counts, int height, int width);

    /** pycocotools {@code frPyObjects} + merge of the polygons (flat x,y lists); returns compressed counts. */
    String fromPolygons(List<double[]> polygons, int height, int width);

    /** Foreground area of a valid mask. */
    long area(String counts, int height, int width);

    /** pycocotools bbox {@code [x, y, w, h]} of a valid mask (all zeros when empty). */
    double[] bbox(String counts, int height, int width);

    /** The mask library. */
    static MaskCodec standard() {
        return RleMaskCodec.INSTANCE;
    }
}
