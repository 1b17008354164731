package studio.grounding.mask;

/**
 * Absolute foreground intervals of a mask, with its area and tight bounding box: what IoU needs to compare masks
 * run by run. Built in one pass over the counts; not cached in {@link Rle}, so every IoU call pays for it like
 * pycocotools' {@code rleIou} pays for {@code rleArea} and {@code rleToBbox}.
 */
final class RunIndex {

    final int h;
    final int w;
    /** foreground interval k is {@code [starts[k], ends[k])} in column-major linear indices; empty runs skipped */
    final int[] starts;
    final int[] ends;
    final int n;
    final long area;
    /** tight box, inclusive; meaningful only when {@code n > 0} */
    final int x0;
    final int y0;
    final int x1;
    final int y1;

    RunIndex(Rle r) {
        this.h = r.height();
        this.w = r.width();
        int[] c = r.countsView();
        int m = c.length;
        int cap = m >>> 1;
        int[] s = new int[cap];
        int[] e = new int[cap];
        int k = 0;
        int p = 0;
        long a = 0;
        for (int i = 0; i + 1 < m; i += 2) {
            int st = p + c[i];
            int en = st + c[i + 1];
            p = en;
            if (en > st) {
                s[k] = st;
                e[k] = en;
                a += en - st;
                k++;
            }
        }
        this.starts = s;
        this.ends = e;
        this.n = k;
        this.area = a;
        int[] box = Bbox.ofIntervals(s, e, k, h);
        this.x0 = box[0];
        this.y0 = box[1];
        this.x1 = box[2];
        this.y1 = box[3];
    }
}
