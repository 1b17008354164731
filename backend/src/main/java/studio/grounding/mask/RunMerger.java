package studio.grounding.mask;

import java.util.Arrays;

/**
 * Union and intersection of two run-length masks, computed on the runs themselves with no {@code h*w} scratch
 * buffer (pycocotools' {@code rleMerge} allocates one per call).
 *
 * <p>Each mask is seen as its sorted list of toggle positions (the running sums of its counts). The two lists are
 * merged; while the other mask is in the state that lets this one through (background for a union, foreground for
 * an intersection), this mask's toggles are copied to the output in a tight loop, otherwise they are only counted.
 * Only where both masks toggle at the same position is the output state recomputed. Equal consecutive output
 * toggles cancel, so zero-length input runs are harmless and the result is canonical like {@code rleMerge}'s:
 * maximal runs, no zero-length run except possibly the first.
 */
final class RunMerger {

    private static final int END = Integer.MAX_VALUE;

    private RunMerger() {
    }

    static int[] union(int[] a, int[] b, int area) {
        return merge(a, b, area, false);
    }

    static int[] intersection(int[] a, int[] b, int area) {
        return merge(a, b, area, true);
    }

    static int[] merge(int[] a, int[] b, int area, boolean intersect) {
        final int la = a.length - 1; // toggles of a: running sums S_0 .. S_{la-1}
        final int lb = b.length - 1;
        final int pass = intersect ? 1 : 0; // the other mask's state in which this mask's toggles reach the output
        int[] t = new int[Math.max(la, 0) + Math.max(lb, 0) + 1];
        int k = 0;
        int ia = 0;
        int ib = 0;
        int pa = la > 0 ? a[0] : END;
        int pb = lb > 0 ? b[0] : END;
        int va = 0;
        int vb = 0;
        while (true) {
            if (pa < pb) {
                if (vb == pass) {
                    do {
                        if (k > 0 && t[k - 1] == pa) {
                            k--;
                        } else {
                            t[k++] = pa;
                        }
                        va ^= 1;
                        ia++;
                        pa = ia < la ? pa + a[ia] : END;
                    } while (pa < pb);
                } else {
                    do {
                        va ^= 1;
                        ia++;
                        pa = ia < la ? pa + a[ia] : END;
                    } while (pa < pb);
                }
            } else if (pb < pa) {
                if (va == pass) {
                    do {
                        if (k > 0 && t[k - 1] == pb) {
                            k--;
                        } else {
                            t[k++] = pb;
                        }
                        vb ^= 1;
                        ib++;
                        pb = ib < lb ? pb + b[ib] : END;
                    } while (pb < pa);
                } else {
                    do {
                        vb ^= 1;
                        ib++;
                        pb = ib < lb ? pb + b[ib] : END;
                    } while (pb < pa);
                }
            } else {
                if (pa == END) {
                    break;
                }
                int p = pa;
                int before = intersect ? va & vb : va | vb;
                va ^= 1;
                vb ^= 1;
                int after = intersect ? va & vb : va | vb;
                if (before != after) {
                    if (k > 0 && t[k - 1] == p) {
                        k--;
                    } else {
                        t[k++] = p;
                    }
                }
                ia++;
                pa = ia < la ? pa + a[ia] : END;
                ib++;
                pb = ib < lb ? pb + b[ib] : END;
            }
        }
        // toggles to counts; a toggle at the very end would only open a zero-length run
        if (k > 0 && t[k - 1] == area) {
            k--;
        }
        int[] c = new int[k + 1];
        int prev = 0;
        for (int i = 0; i < k; i++) {
            int p = t[i];
            c[i] = p - prev;
            prev = p;
        }
        c[k] = area - prev;
        return c;
    }
}
