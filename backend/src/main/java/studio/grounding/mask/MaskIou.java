package studio.grounding.mask;

import java.util.List;

/**
 * Intersection over union of run-length masks ({@code rleIou}), with pycocotools' bounding-box prefilter.
 *
 * <p>Only the intersection is counted: union = area(dt) + area(gt) - intersection, or area(dt) for a crowd
 * ground truth. The walk over the two foreground-interval lists is restricted to the linear index range of the
 * overlap of the two boxes, found by binary search.
 */
final class MaskIou {

    private MaskIou() {
    }

    static double iou(RunIndex d, RunIndex g, boolean crowd) {
        // bbIou prefilter: boxes that do not overlap (or empty masks) give 0
        if (d.n == 0 || g.n == 0) {
            return 0.0;
        }
        int ox0 = Math.max(d.x0, g.x0);
        int ox1 = Math.min(d.x1, g.x1);
        if (ox0 > ox1) {
            return 0.0;
        }
        int oy0 = Math.max(d.y0, g.y0);
        int oy1 = Math.min(d.y1, g.y1);
        if (oy0 > oy1) {
            return 0.0;
        }
        int h = d.h;
        int lo = ox0 * h + oy0;
        int hi = ox1 * h + oy1 + 1;
        long inter = intersection(d.starts, d.ends, d.n, g.starts, g.ends, g.n, lo, hi);
        if (inter == 0) {
            return 0.0;
        }
        long union = crowd ? d.area : d.area + g.area - inter;
        return (double) inter / (double) union;
    }

    /** Pixels in both interval lists, counting only intervals that reach into {@code [lo, hi)}. */
    static long intersection(int[] as, int[] ae, int na, int[] bs, int[] be, int nb, int lo, int hi) {
        int i = firstEndingAfter(ae, na, lo);
        int j = firstEndingAfter(be, nb, lo);
        long inter = 0;
        while (i < na && j < nb) {
            int s0 = as[i];
            int s1 = bs[j];
            if (s0 >= hi || s1 >= hi) {
                break;
            }
            int e0 = ae[i];
            int e1 = be[j];
            int ov = Math.min(e0, e1) - Math.max(s0, s1);
            inter += Math.max(ov, 0);
            int adv = e0 <= e1 ? 1 : 0;
            i += adv;
            j += 1 - adv;
        }
        return inter;
    }

    /** Index of the first interval whose end is greater than {@code pos} ({@code n} if none). */
    private static int firstEndingAfter(int[] ends, int n, int pos) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= pos) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static double[][] iou(List<Rle> dt, List<Rle> gt, boolean[] gtIsCrowd) {
        int m = dt.size();
        int n = gt.size();
        if (gtIsCrowd != null && gtIsCrowd.length != n) {
            throw new IllegalArgumentException("gtIsCrowd has " + gtIsCrowd.length + " entries but there are " + n
                    + " ground-truth masks");
        }
        RunIndex[] di = new RunIndex[m];
        RunIndex[] gi = new RunIndex[n];
        for (int g = 0; g < n; g++) {
            gi[g] = new RunIndex(gt.get(g));
        }
        for (int d = 0; d < m; d++) {
            Rle r = dt.get(d);
            for (int g = 0; g < n; g++) {
                Rle q = gt.get(g);
                if (r.height() != q.height() || r.width() != q.width()) {
                    throw new MalformedRleException("IoU of masks of different sizes: dt[" + d + "] is " + r.height()
                            + "x" + r.width() + " but gt[" + g + "] is " + q.height() + "x" + q.width());
                }
            }
            di[d] = new RunIndex(r);
        }
        double[][] o = new double[m][n];
        for (int d = 0; d < m; d++) {
            double[] row = o[d];
            RunIndex a = di[d];
            for (int g = 0; g < n; g++) {
                row[g] = iou(a, gi[g], gtIsCrowd != null && gtIsCrowd[g]);
            }
        }
        return o;
    }
}
