package studio.grounding.evaluation;

import java.util.List;

import studio.grounding.mask.Rle;

/**
 * The IoU of two masks the way each part of GLaMM's {@code eval/gcg/evaluate.py} computes it.
 *
 * <ul>
 *   <li>{@link #numpy}: {@code eval/utils.py compute_iou} on the decoded arrays,
 *       {@code np.sum(np.logical_and(a, b)) / np.sum(np.logical_or(a, b))} (used by mIoU and recall). Two empty
 *       masks give 0/0 = NaN. Masks of different sizes are broadcast by numpy when every dimension is equal or 1
 *       (a 1 x w mask against an h x w one), otherwise numpy raises {@code ValueError} ({@link ShapeMismatch}).</li>
 *   <li>{@link #coco}: pycocotools' {@code maskUtils.iou} ({@code rleIou}, used by COCOeval for AP50): 0 for two
 *       empty masks, -1 for masks of different sizes whose boxes overlap (0 when they don't), which never
 *       reaches the 0.5 threshold.</li>
 * </ul>
 */
final class ScriptIou {

    private ScriptIou() {
    }

    /** numpy raised {@code ValueError: operands could not be broadcast together}. */
    static final class ShapeMismatch extends RuntimeException {
        ShapeMismatch(Rle a, Rle b) {
            super("ValueError: operands could not be broadcast together with shapes (" + a.height() + "," + a.width()
                    + ") (" + b.height() + "," + b.width() + ")");
        }
    }

    /** {@code compute_iou(a, b)}: NaN for two empty masks, broadcast or {@link ShapeMismatch} for other sizes. */
    static double numpy(Rle a, Rle b) {
        if (a.height() == b.height() && a.width() == b.width()) {
            if (a.area() == 0 && b.area() == 0) {
                return Double.NaN;
            }
            return Rle.iou(a, b, false);
        }
        return broadcast(a, b);
    }

    /** {@code compute_iou_matrix(rows, cols)}: {@code result[i][j] = compute_iou(rows[i], cols[j])}. */
    static double[][] numpyMatrix(List<Rle> rows, List<Rle> cols) {
        double[][] m = new double[rows.size()][cols.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                m[i][j] = numpy(rows.get(i), cols.get(j));
            }
        }
        return m;
    }

    /** pycocotools' {@code iou([dt], [gt], [0])}. */
    static double coco(Rle dt, Rle gt) {
        if (dt.height() == gt.height() && dt.width() == gt.width()) {
            return Rle.iou(dt, gt, false);
        }
        double[] d = dt.bbox();
        double[] g = gt.bbox();
        double w = Math.min(d[0] + d[2], g[0] + g[2]) - Math.max(d[0], g[0]);
        double h = Math.min(d[1] + d[3], g[1] + g[3]) - Math.max(d[1], g[1]);
        return w <= 0 || h <= 0 ? 0.0 : -1.0; // bbIou first; rleIou then sets -1 for a size mismatch
    }

    /** Whether numpy can broadcast the two decoded masks (every dimension equal or 1). */
    static boolean broadcastable(Rle a, Rle b) {
        return dim(a.height(), b.height()) && dim(a.width(), b.width());
    }

    private static boolean dim(int x, int y) {
        return x == y || x == 1 || y == 1;
    }

    private static double broadcast(Rle a, Rle b) {
        int h = broadcastDim(a.height(), b.height(), a, b);
        int w = broadcastDim(a.width(), b.width(), a, b);
        byte[] pa = a.decode();
        byte[] pb = b.decode();
        long inter = 0;
        long union = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean va = pa[(a.width() == 1 ? 0 : x) * a.height() + (a.height() == 1 ? 0 : y)] != 0;
                boolean vb = pb[(b.width() == 1 ? 0 : x) * b.height() + (b.height() == 1 ? 0 : y)] != 0;
                inter += va && vb ? 1 : 0;
                union += va || vb ? 1 : 0;
            }
        }
        return (double) inter / union; // 0/0 = NaN, as numpy
    }

    private static int broadcastDim(int x, int y, Rle a, Rle b) {
        if (x == y || y == 1) {
            return x;
        }
        if (x == 1) {
            return y;
        }
        throw new ShapeMismatch(a, b);
    }
}
