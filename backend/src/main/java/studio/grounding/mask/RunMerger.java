package studio.grounding.mask;

import java.util.Arrays;

/**
 * Union and intersection of two run-length masks, computed on the runs themselves: the foreground runs of each
 * input are walked as sorted half-open intervals, so the cost is {@code O(mA + mB)} with no {@code h*w} scratch
 * buffer (pycocotools' {@code rleMerge} allocates one per call).
 *
 * <p>The output is canonical like {@code rleMerge}'s: runs are maximal, so no zero-length run occurs except possibly
 * the first (a mask starting with foreground).
 */
final class RunMerger {

    private RunMerger() {
    }

    /** Accumulates output intervals, coalescing touching ones, and converts them to counts. */
    private static final class Out {
        int[] cnts;
        int m;
        int lastEnd;      // end of the last emitted foreground run
        int curStart = -1;
        int curEnd = -1;

        Out(int capacity) {
            cnts = new int[Math.max(capacity, 4)];
        }

        void add(int s, int e) {
            if (s == curEnd) {  // touching: extend
                curEnd = e;
                return;
            }
            flush();
            curStart = s;
            curEnd = e;
        }

        private void flush() {
            if (curStart >= 0) {
                if (m + 2 > cnts.length) {
                    cnts = Arrays.copyOf(cnts, cnts.length * 2 + 2);
                }
                cnts[m++] = curStart - lastEnd;
                cnts[m++] = curEnd - curStart;
                lastEnd = curEnd;
            }
        }

        int[] finish(int area) {
            flush();
            if (lastEnd < area || m == 0) {
                if (m + 1 > cnts.length) {
                    cnts = Arrays.copyOf(cnts, m + 1);
                }
                cnts[m++] = area - lastEnd;
            }
            return m == cnts.length ? cnts : Arrays.copyOf(cnts, m);
        }
    }

    static int[] union(int[] a, int[] b, int area) {
        int na = a.length;
        int nb = b.length;
        Out out = new Out(na + nb + 1);
        // cursor over a: current interval [as, ae), index ia of the next background count
        int ia = 0;
        int pa = 0;
        int as = Integer.MAX_VALUE;
        int ae = Integer.MAX_VALUE;
        int ib = 0;
        int pb = 0;
        int bs = Integer.MAX_VALUE;
        int be = Integer.MAX_VALUE;
        // load first non-empty intervals
        while (ia + 1 < na) {
            int s = pa + a[ia];
            int e = s + a[ia + 1];
            ia += 2;
            pa = e;
            if (e > s) {
                as = s;
                ae = e;
                break;
            }
        }
        while (ib + 1 < nb) {
            int s = pb + b[ib];
            int e = s + b[ib + 1];
            ib += 2;
            pb = e;
            if (e > s) {
                bs = s;
                be = e;
                break;
            }
        }
        int curS = -1;
        int curE = -1;
        while (as != Integer.MAX_VALUE || bs != Integer.MAX_VALUE) {
            int s;
            int e;
            if (as <= bs) {
                s = as;
                e = ae;
                as = Integer.MAX_VALUE;
                while (ia + 1 < na) {
                    int ns = pa + a[ia];
                    int ne = ns + a[ia + 1];
                    ia += 2;
                    pa = ne;
                    if (ne > ns) {
                        as = ns;
                        ae = ne;
                        break;
                    }
                }
            } else {
                s = bs;
                e = be;
                bs = Integer.MAX_VALUE;
                while (ib + 1 < nb) {
                    int ns = pb + b[ib];
                    int ne = ns + b[ib + 1];
                    ib += 2;
                    pb = ne;
                    if (ne > ns) {
                        bs = ns;
                        be = ne;
                        break;
                    }
                }
            }
            if (s <= curE) {
                if (e > curE) {
                    curE = e;
                }
            } else {
                if (curS >= 0) {
                    out.add(curS, curE);
                }
                curS = s;
                curE = e;
            }
        }
        if (curS >= 0) {
            out.add(curS, curE);
        }
        return out.finish(area);
    }

    static int[] intersection(int[] a, int[] b, int area) {
        int na = a.length;
        int nb = b.length;
        Out out = new Out(Math.min(na, nb) * 2 + 1);
        int ia = 0;
        int pa = 0;
        int ib = 0;
        int pb = 0;
        if (na < 2 || nb < 2) {
            return out.finish(area);
        }
        int as = pa + a[0];
        int ae = as + a[1];
        ia = 2;
        pa = ae;
        int bs = pb + b[0];
        int be = bs + b[1];
        ib = 2;
        pb = be;
        while (true) {
            int s = Math.max(as, bs);
            int e = Math.min(ae, be);
            if (e > s) {
                out.add(s, e);
            }
            if (ae <= be) {
                if (ia + 1 >= na) {
                    break;
                }
                as = pa + a[ia];
                ae = as + a[ia + 1];
                ia += 2;
                pa = ae;
            } else {
                if (ib + 1 >= nb) {
                    break;
                }
                bs = pb + b[ib];
                be = bs + b[ib + 1];
                ib += 2;
                pb = be;
            }
        }
        return out.finish(area);
    }
}
