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
        return zeroFree(a) && zeroFree(b) ? mergeZeroFree(a, b, area, intersect) : mergeGeneral(a, b, area, intersect);
    }

    /** As {@link #merge(int[], int[], int, boolean)} when the caller already knows whether both are zero-free. */
    static int[] merge(int[] a, int[] b, int area, boolean intersect, boolean bothZeroFree) {
        return bothZeroFree ? mergeZeroFree(a, b, area, intersect) : mergeGeneral(a, b, area, intersect);
    }

    /** True when no run after the first is empty, i.e. the toggle positions strictly increase. */
    static boolean zeroFree(int[] c) {
        for (int i = 1; i < c.length; i++) {
            if (c[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The merge for inputs without empty runs (all canonical masks): output toggles then strictly increase, so no
     * cancellation is needed, and a stretch of toggles that passes through is copied as counts with one
     * {@code System.arraycopy} (the gaps between consecutive toggles of one input are its own counts).
     */
    static int[] mergeZeroFree(int[] a, int[] b, int area, boolean intersect) {
        // two specialised copies: separate compiled code and branch profiles for union and intersection
        return intersect ? intersectZeroFree(a, b, area) : unionZeroFree(a, b, area);
    }

    private static int[] unionZeroFree(int[] a, int[] b, int area) {
        final int la = a.length - 1;
        final int lb = b.length - 1;
        int[] c = ScratchBuffers.ints(Math.max(la, 0) + Math.max(lb, 0) + 1);
        int k = 0;
        int prev = 0;
        int ia = 0;
        int ib = 0;
        int pa = la > 0 ? a[0] : END;
        int pb = lb > 0 ? b[0] : END;
        int va = 0;
        int vb = 0;
        while (true) {
            if (pa < pb) {
                if (vb == 0) {
                    // this stretch of toggles passes through: the first one relative to the previous output
                    // toggle, the following ones with their own gaps, i.e. a's counts
                    c[k++] = pa - prev;
                    va ^= 1;
                    while (true) {
                        ia++;
                        if (ia >= la) {
                            prev = pa;
                            pa = END;
                            break;
                        }
                        int g = a[ia];
                        int np = pa + g;
                        if (np >= pb) {
                            prev = pa;
                            pa = np;
                            break;
                        }
                        c[k++] = g;
                        pa = np;
                        va ^= 1;
                    }
                } else {
                    do {
                        va ^= 1;
                        ia++;
                        pa = ia < la ? pa + a[ia] : END;
                    } while (pa < pb);
                }
            } else if (pb < pa) {
                if (va == 0) {
                    // this stretch of toggles passes through: the first one relative to the previous output
                    // toggle, the following ones with their own gaps, i.e. b's counts
                    c[k++] = pb - prev;
                    vb ^= 1;
                    while (true) {
                        ib++;
                        if (ib >= lb) {
                            prev = pb;
                            pb = END;
                            break;
                        }
                        int g = b[ib];
                        int np = pb + g;
                        if (np >= pa) {
                            prev = pb;
                            pb = np;
                            break;
                        }
                        c[k++] = g;
                        pb = np;
                        vb ^= 1;
                    }
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
                int before = va | vb;
                va ^= 1;
                vb ^= 1;
                int after = va | vb;
                if (before != after) {
                    c[k++] = pa - prev;
                    prev = pa;
                }
                ia++;
                pa = ia < la ? pa + a[ia] : END;
                ib++;
                pb = ib < lb ? pb + b[ib] : END;
            }
        }
        c[k++] = area - prev;
        return Arrays.copyOf(c, k);
    }

    private static int[] intersectZeroFree(int[] a, int[] b, int area) {
        final int la = a.length - 1;
        final int lb = b.length - 1;
        int[] c = ScratchBuffers.ints(Math.max(la, 0) + Math.max(lb, 0) + 1);
        int k = 0;
        int prev = 0;
        int ia = 0;
        int ib = 0;
        int pa = la > 0 ? a[0] : END;
        int pb = lb > 0 ? b[0] : END;
        int va = 0;
        int vb = 0;
        while (true) {
            if (pa < pb) {
                if (vb == 1) {
                    // this stretch of toggles passes through: the first one relative to the previous output
                    // toggle, the following ones with their own gaps, i.e. a's counts
                    c[k++] = pa - prev;
                    va ^= 1;
                    while (true) {
                        ia++;
                        if (ia >= la) {
                            prev = pa;
                            pa = END;
                            break;
                        }
                        int g = a[ia];
                        int np = pa + g;
                        if (np >= pb) {
                            prev = pa;
                            pa = np;
                            break;
                        }
                        c[k++] = g;
                        pa = np;
                        va ^= 1;
                    }
                } else {
                    do {
                        va ^= 1;
                        ia++;
                        pa = ia < la ? pa + a[ia] : END;
                    } while (pa < pb);
                }
            } else if (pb < pa) {
                if (va == 1) {
                    // this stretch of toggles passes through: the first one relative to the previous output
                    // toggle, the following ones with their own gaps, i.e. b's counts
                    c[k++] = pb - prev;
                    vb ^= 1;
                    while (true) {
                        ib++;
                        if (ib >= lb) {
                            prev = pb;
                            pb = END;
                            break;
                        }
                        int g = b[ib];
                        int np = pb + g;
                        if (np >= pa) {
                            prev = pb;
                            pb = np;
                            break;
                        }
                        c[k++] = g;
                        pb = np;
                        vb ^= 1;
                    }
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
                int before = va & vb;
                va ^= 1;
                vb ^= 1;
                int after = va & vb;
                if (before != after) {
                    c[k++] = pa - prev;
                    prev = pa;
                }
                ia++;
                pa = ia < la ? pa + a[ia] : END;
                ib++;
                pb = ib < lb ? pb + b[ib] : END;
            }
        }
        c[k++] = area - prev;
        return Arrays.copyOf(c, k);
    }

    /** The merge for any counts, zero-length runs included: equal consecutive output toggles cancel. */
    static int[] mergeGeneral(int[] a, int[] b, int area, boolean intersect) {
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
