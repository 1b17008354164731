package studio.grounding.evaluation;

import java.util.List;

import studio.grounding.mask.Rle;

/** Test masks on a 1-row image: {@code m("1100")} has pixels 0 and 1 set. */
final class Masks {

    private Masks() {
    }

    static Rle m(String bits) {
        byte[] px = new byte[bits.length()];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (bits.charAt(i) == '1' ? 1 : 0);
        }
        return Rle.encode(px, 1, px.length);
    }

    static GcgSample sample(String id, List<String> labels, List<Rle> gt, List<String> phrases, List<Rle> pred) {
        return new GcgSample(id, "gt caption", labels, gt, "pred caption", phrases, pred);
    }
}
