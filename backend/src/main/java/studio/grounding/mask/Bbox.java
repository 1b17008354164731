package studio.grounding.mask;

/**
 * Tight bounding boxes of run-length masks ({@code rleToBbox}).
 *
 * <p>Columns are tracked incrementally (a run end rarely lies more than a column or two past the previous one),
 * so the common case needs no division per run. Once the rows span the full height, the remaining runs only move
 * the last column, which is read from the final run.
 */
final class Bbox {

    private Bbox() {
    }

    /**
     * Inclusive box {@code {x0, y0, x1, y1}} of the non-empty intervals {@code [s[k], e[k])}, {@code k < n}, or
     * {@code {0, 0, -1, -1}} when {@code n == 0}.
     */
    static int[] ofIntervals(int[] s, int[] e, int n, int h) {
        if (n == 0) {
            return new int[] {0, 0, -1, -1};
        }
        int x0 = s[0] / h;
        int x1 = (e[n - 1] - 1) / h;
        int ys = h;
        int ye = -1;
        int col = x0;
        int colStart = x0 * h;
        for (int k = 0; k < n; k++) {
            int t = s[k];
            int d = t - colStart;
            if (d >= h) {
                if (d < 4 * h) {
                    do {
                        colStart += h;
                        col++;
                        d -= h;
                    } while (d >= h);
                } else {
                    col = t / h;
                    colStart = col * h;
                    d = t - colStart;
                }
            }
            int startCol = col;
            if (d < ys) {
                ys = d;
            }
            t = e[k] - 1;
            d = t - colStart;
            if (d >= h) {
                if (d < 4 * h) {
                    do {
                        colStart += h;
                        col++;
                        d -= h;
                    } while (d >= h);
                } else {
                    col = t / h;
                    colStart = col * h;
                    d = t - colStart;
                }
            }
            if (d > ye) {
                ye = d;
            }
            if (col != startCol) {
                // run crosses a column boundary: it touches the bottom of one column and the top of the next
                ys = 0;
                ye = h - 1;
            }
            if (ys == 0 && ye == h - 1) {
                break;
            }
        }
        return new int[] {x0, ys, x1, ye};
    }

    /** The same box computed straight from counts, without materialising intervals. */
    static int[] ofCounts(int[] c, int h) {
        int m = c.length;
        int p = 0;
        int ys = h;
        int ye = -1;
        int x0 = -1;
        int lastEnd = -1;
        int colStart = 0;
        int col = 0;
        boolean full = false;
        for (int i = 0; i + 1 < m; i += 2) {
            int st = p + c[i];
            int en = st + c[i + 1];
            p = en;
            if (en == st) {
                continue;
            }
            lastEnd = en;
            if (full) {
                continue;
            }
            int d = st - colStart;
            if (d >= h) {
                if (d < 4 * h) {
                    do {
                        colStart += h;
                        col++;
                        d -= h;
                    } while (d >= h);
                } else {
                    col = st / h;
                    colStart = col * h;
                    d = st - colStart;
                }
            }
            if (x0 < 0) {
                x0 = col;
            }
            int startCol = col;
            if (d < ys) {
                ys = d;
            }
            d = en - 1 - colStart;
            if (d >= h) {
                if (d < 4 * h) {
                    do {
                        colStart += h;
                        col++;
                        d -= h;
                    } while (d >= h);
                } else {
                    col = (en - 1) / h;
                    colStart = col * h;
                    d = en - 1 - colStart;
                }
            }
            if (d > ye) {
                ye = d;
            }
            if (col != startCol) {
                ys = 0;
                ye = h - 1;
            }
            full = ys == 0 && ye == h - 1;
        }
        if (x0 < 0) {
            return new int[] {0, 0, -1, -1};
        }
        return new int[] {x0, ys, (lastEnd - 1) / h, ye};
    }
}
