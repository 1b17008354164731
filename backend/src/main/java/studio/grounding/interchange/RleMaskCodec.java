package studio.grounding.interchange;

import java.util.List;

import studio.grounding.mask.Rle;

/** {@link MaskCodec} backed by the mask library {@link Rle}. */
final class RleMaskCodec implements MaskCodec {

    static final RleMaskCodec INSTANCE = new RleMaskCodec();

    private RleMaskCodec() {
    }

    @Override
    public void check(String counts, int height, int width) {
        Rle.fromString(counts, height, width);
    }

    @Override
    public String fromPolygons(List<double[]> polygons, int height, int width) {
        return Rle.fromPolygons(polygons, height, width).toCompressedString();
    }

    @Override
    public long area(String counts, int height, int width) {
        return Rle.fromString(counts, height, width).area();
    }

    @Override
    public double[] bbox(String counts, int height, int width) {
        return Rle.fromString(counts, height, width).bbox();
    }
}
