package studio.grounding.mask;

import java.util.Arrays;

/**
 * Exact port of pycocotools' {@code rleFrPoly}: vertices are snapped to a 1/5-pixel lattice with
 * {@code (int)(5*v + .5)} (truncation toward zero), each edge is walked on that lattice with the same DDA
 * ({@code (int)(ys + s*t + .5)} in double arithmetic), a boundary point is kept where the lattice x crosses a
 * pixel centre, the points become linear indices {@code x*h + y}, are sorted and differenced, and equal positions
 * cancel pairwise.
 *
 * <p>Two steps are computed with integers instead of the C doubles; they are mathematically identical for every
 * lattice coordinate (see {@code PolygonRasterizerTest}, which checks them against the double formulas):
 * <ul>
 *   <li>{@code xd = (u' + .5)/5 - .5} is integral exactly when {@code u' ≡ 2 (mod 5)}, and then equals
 *       {@code (u' - 2)/5};</li>
 *   <li>{@code ceil(clamp((v + .5)/5 - .5, 0, h))} equals {@code clamp(ceilDiv(v - 2, 5), 0, h)}.</li>
 * </ul>
 * The lattice points are consumed as they are generated instead of being stored first; on x-major edges only the
 * one step in five that can yield a boundary point is evaluated; the boundary points are sorted by a counting sort
 * over columns.
 */
final class PolygonRasterizer {

    /** Coordinates beyond this magnitude would overflow the lattice arithmetic of the C code. */
    static final double MAX_COORDINATE = 1.0e8;
    /** Upper bound on lattice points walked (the C code allocates them all; we refuse absurd polygons). */
    static final long MAX_LATTICE_POINTS = 1L << 28;

    private PolygonRasterizer() {
    }

    static int[] rasterize(double[] xy, int h, int w) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("polygon has an odd number of coordinates (" + xy.length
                    + "); expected interleaved x,y pairs");
        }
        int k = xy.length / 2;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            double vx = xy[2 * j];
            double vy = xy[2 * j + 1];
            if (!(Math.abs(vx) <= MAX_COORDINATE) || !(Math.abs(vy) <= MAX_COORDINATE)) {
                throw new IllegalArgumentException("polygon vertex " + j + " (" + vx + ", " + vy
                        + ") is not finite or beyond +-" + MAX_COORDINATE);
            }
            x[j] = (int) (5.0 * vx + .5);
            y[j] = (int) (5.0 * vy + .5);
        }
        long total = 0;
        if (k > 0) {
            x[k] = x[0];
            y[k] = y[0];
            for (int j = 0; j < k; j++) {
                total += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
            }
        }
        if (total > MAX_LATTICE_POINTS) {
            throw new IllegalArgumentException("polygon perimeter too large: " + total + " lattice points");
        }
        Boundary b = new Boundary(h, w);
        for (int j = 0; j < k; j++) {
            int xs = x[j];
            int xe = x[j + 1];
            int ys = y[j];
            int ye = y[j + 1];
            int dx = Math.abs(xe - xs);
            int dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            if (dx >= dy) {
                if (dx == 0) {
                    // 0/0 in C: the point's v is NaN cast to int (INT_MIN on x86). Its u equals its neighbours',
                    // so v is never read; reproduce the value anyway.
                    b.point(xs, Integer.MIN_VALUE);
                    continue;
                }
                double s = (double) (ye - ys) / dx;
                // x-major: u = xs + t moves by one per step, so the step between t and t+1 has u' = xs + t and is
                // kept only for u' = 2 (mod 5) inside the image; evaluate just those steps instead of every point.
                int tFirst = flip ? dx : 0;
                b.point(tFirst + xs, (int) (ys + s * tFirst + .5)); // junction with the previous edge
                int t = Math.max(0, 2 - xs);
                int r = Math.floorMod(xs + t - 2, 5);
                if (r != 0) {
                    t += 5 - r;
                }
                int tEnd = Math.min(dx - 1, 5 * (w - 1) + 2 - xs);
                for (; t <= tEnd; t += 5) {
                    int v0 = (int) (ys + s * t + .5);
                    int v1 = (int) (ys + s * (t + 1) + .5);
                    b.add((xs + t - 2) / 5, v0 < v1 ? v0 : v1);
                }
                int tLast = flip ? 0 : dx;
                b.setPrevious(tLast + xs, (int) (ys + s * tLast + .5));
            } else {
                double s = (double) (xe - xs) / dy;
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    b.point((int) (xs + s * t + .5), t + ys);
                }
            }
        }
        return b.toCounts();
    }

    /** Collects boundary points from consecutive lattice points and turns them into runs. */
    private static final class Boundary {
        private final int h;
        private final int w;
        private int[] xs = new int[256];
        private int[] ys = new int[256];
        private int n;
        private int minX = Integer.MAX_VALUE;
        private int maxX = Integer.MIN_VALUE;
        private boolean first = true;
        private int pu;
        private int pv;

        Boundary(int h, int w) {
            this.h = h;
            this.w = w;
        }

        /** The next lattice point of the walk: keeps a boundary point where u changed at a pixel centre. */
        void point(int u, int v) {
            if (first) {
                first = false;
            } else if (u != pu) {
                int ux = u < pu ? u : u - 1;
                int r = ux - 2;
                if (Math.floorMod(r, 5) == 0) {
                    int xd = Math.floorDiv(r, 5);
                    if (xd >= 0 && xd <= w - 1) {
                        add(xd, v < pv ? v : pv);
                    }
                }
            }
            pu = u;
            pv = v;
        }

        /** Sets the last walked lattice point without evaluating a step (the caller handled the steps). */
        void setPrevious(int u, int v) {
            first = false;
            pu = u;
            pv = v;
        }

        /** A boundary point in column {@code xd} (in range) from lattice row {@code vm}. */
        void add(int xd, int vm) {
            long y = Math.ceilDiv((long) vm - 2, 5); // = ceil((vm + .5)/5 - .5), exactly
            if (y < 0) {
                y = 0;
            } else if (y > h) {
                y = h;
            }
            if (n == xs.length) {
                xs = Arrays.copyOf(xs, n * 2);
                ys = Arrays.copyOf(ys, n * 2);
            }
            xs[n] = xd;
            ys[n] = (int) y;
            n++;
            if (xd < minX) {
                minX = xd;
            }
            if (xd > maxX) {
                maxX = xd;
            }
        }

        /** Linear indices {@code x*h + y} of the boundary points plus {@code h*w}, in ascending order. */
        private int[] sortedIndices() {
            int k = n + 1;
            int[] a = new int[k];
            a[n] = h * w; // not smaller than any index (x <= w-1, y <= h)
            if (n == 0) {
                return a;
            }
            int range = maxX - minX + 1;
            if (range > 4 * n + 64) {
                for (int j = 0; j < n; j++) {
                    a[j] = xs[j] * h + ys[j];
                }
                Arrays.sort(a, 0, n);
                return a;
            }
            // counting sort by column, then insertion sort of the few rows within each column
            int[] start = new int[range + 1];
            for (int j = 0; j < n; j++) {
                start[xs[j] - minX + 1]++;
            }
            for (int c = 0; c < range; c++) {
                start[c + 1] += start[c];
            }
            int[] fill = Arrays.copyOf(start, range);
            for (int j = 0; j < n; j++) {
                int c = xs[j] - minX;
                a[fill[c]++] = xs[j] * h + ys[j];
            }
            for (int c = 0; c < range; c++) {
                int lo = start[c];
                int hi = start[c + 1];
                for (int i = lo + 1; i < hi; i++) {
                    int x = a[i];
                    int j = i - 1;
                    while (j >= lo && a[j] > x) {
                        a[j + 1] = a[j];
                        j--;
                    }
                    a[j + 1] = x;
                }
            }
            return a;
        }

        int[] toCounts() {
            int[] a = sortedIndices();
            int k = a.length;
            int p = 0;
            for (int j = 0; j < k; j++) {
                int t = a[j];
                a[j] -= p;
                p = t;
            }
            // cancel equal positions: a zero difference merges the following run into the previous one
            int j = 0;
            int m = 0;
            a[m++] = a[j++];
            while (j < k) {
                if (a[j] > 0) {
                    a[m++] = a[j++];
                } else {
                    j++;
                    if (j < k) {
                        a[m - 1] += a[j++];
                    }
                }
            }
            return m == a.length ? a : Arrays.copyOf(a, m);
        }
    }
}
