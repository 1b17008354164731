package studio.grounding.mask;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The workload of {@code shared/spec/rle-anchor.md} (the pycocotools C speed anchor), rebuilt bit for bit: 50 masks
 * of 1500 x 2250 made of rotated ellipses and star polygons, then 50 forty-vertex star polygons for
 * {@code rleFrPoly}, all from one xorshift64 stream. {@code AnchorWorkloadTest} checks it against the published
 * checksums so a benchmark can never silently run a different workload.
 *
 * <p>Only each shape's bounding window is evaluated, and polygons are filled scanline by scanline with the same
 * crossing expression as PNPOLY (same double operations, so the same pixels), which keeps generation to a few
 * seconds.
 */
final class AnchorWorkload {

    static final int H = 1500;
    static final int W = 2250;
    static final int N = 50;
    static final int POLY_VERTICES = 40;
    static final long SEED = 0x9E3779B97F4A7C15L;

    /** The 50 column-major bitmaps, or {@code null} when generated without keeping them. */
    final byte[][] bitmaps;
    final List<Rle> masks;
    /** The 50 interleaved {@code x,y} polygons of 40 vertices for the rleFrPoly benchmark. */
    final List<double[]> polygons;

    private AnchorWorkload(byte[][] bitmaps, List<Rle> masks, List<double[]> polygons) {
        this.bitmaps = bitmaps;
        this.masks = masks;
        this.polygons = polygons;
    }

    /** Marsaglia xorshift64 (13, 7, 17). */
    static final class XorShift64 {
        private long x;

        XorShift64(long seed) {
            this.x = seed;
        }

        long next() {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            return x;
        }

        double u01() {
            return (next() >>> 11) * 0x1.0p-53;
        }

        double uni(double a, double b) {
            return a + (b - a) * u01();
        }

        int randint(int n) {
            return (int) ((next() >>> 33) % n);
        }
    }

    static AnchorWorkload generate(boolean keepBitmaps) {
        XorShift64 rng = new XorShift64(SEED);
        byte[][] bitmaps = keepBitmaps ? new byte[N][] : null;
        List<Rle> masks = new ArrayList<>(N);
        byte[] scratch = keepBitmaps ? null : new byte[H * W];
        for (int i = 0; i < N; i++) {
            byte[] m;
            if (keepBitmaps) {
                m = new byte[H * W];
                bitmaps[i] = m;
            } else {
                m = scratch;
                java.util.Arrays.fill(m, (byte) 0);
            }
            int ns = 1 + rng.randint(4);
            for (int s = 0; s < ns; s++) {
                int type = rng.randint(2);
                double cx = rng.uni(0, W);
                double cy = rng.uni(0, H);
                double r = rng.uni(40, 450);
                if (type == 0) {
                    ellipse(m, rng, cx, cy, r);
                } else {
                    int k = 5 + rng.randint(36);
                    double[][] v = star(rng, cx, cy, r, k);
                    fillPolygon(m, v[0], v[1]);
                }
            }
            masks.add(Rle.encode(m, H, W));
        }
        List<double[]> polys = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            double cx = rng.uni(0, W);
            double cy = rng.uni(0, H);
            double r = rng.uni(40, 450);
            double[][] v = star(rng, cx, cy, r, POLY_VERTICES);
            double[] xy = new double[2 * POLY_VERTICES];
            for (int j = 0; j < POLY_VERTICES; j++) {
                xy[2 * j] = v[0][j];
                xy[2 * j + 1] = v[1][j];
            }
            polys.add(xy);
        }
        return new AnchorWorkload(bitmaps, Collections.unmodifiableList(masks), Collections.unmodifiableList(polys));
    }

    private static void ellipse(byte[] m, XorShift64 rng, double cx, double cy, double r) {
        double rx = r;
        double ry = r * rng.uni(0.3, 1.0);
        double a = rng.uni(-1, 1);
        double b = rng.uni(-1, 1);
        double n = Math.sqrt(a * a + b * b);
        double ux;
        double uy;
        if (n < 1e-6) {
            ux = 1;
            uy = 0;
        } else {
            ux = a / n;
            uy = b / n;
        }
        double rr = Math.max(rx, ry);
        int x0 = Math.max(0, (int) Math.floor(cx - rr) - 2);
        int x1 = Math.min(W - 1, (int) Math.ceil(cx + rr) + 2);
        int y0 = Math.max(0, (int) Math.floor(cy - rr) - 2);
        int y1 = Math.min(H - 1, (int) Math.ceil(cy + rr) + 2);
        for (int x = x0; x <= x1; x++) {
            double dx = x + 0.5 - cx;
            int col = x * H;
            for (int y = y0; y <= y1; y++) {
                double dy = y + 0.5 - cy;
                double aa = (dx * ux + dy * uy) / rx;
                double bb = (dy * ux - dx * uy) / ry;
                if (aa * aa + bb * bb <= 1.0) {
                    m[col + y] = 1;
                }
            }
        }
    }

    /** {@code star(cx, cy, R, k)}: one {@code uni(0.55, 1)} draw per vertex, in vertex order. */
    static double[][] star(XorShift64 rng, double cx, double cy, double r0, int k) {
        double[] vx = new double[k];
        double[] vy = new double[k];
        for (int i = 0; i < k; i++) {
            double p = (8.0 * i) / k;
            double sx;
            double sy;
            if (p < 2) {
                sx = 1;
                sy = p - 1;
            } else if (p < 4) {
                sx = 3 - p;
                sy = 1;
            } else if (p < 6) {
                sx = -1;
                sy = 5 - p;
            } else {
                sx = p - 7;
                sy = -1;
            }
            double n = Math.sqrt(sx * sx + sy * sy);
            double r = r0 * rng.uni(0.55, 1.0);
            vx[i] = cx + r * sx / n;
            vy[i] = cy + r * sy / n;
        }
        return new double[][] {vx, vy};
    }

    /**
     * Even-odd fill identical to PNPOLY at pixel centres: for row centre {@code py}, PNPOLY flips at every edge
     * with {@code (vy[i] > py) != (vy[j] > py)} and {@code px < xc}, where {@code xc} depends only on the edge and
     * {@code py}. So a pixel is inside when an odd number of that row's crossings {@code xc} exceed {@code px}.
     */
    static void fillPolygon(byte[] m, double[] vx, double[] vy) {
        int k = vx.length;
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < k; i++) {
            minX = Math.min(minX, vx[i]);
            maxX = Math.max(maxX, vx[i]);
            minY = Math.min(minY, vy[i]);
            maxY = Math.max(maxY, vy[i]);
        }
        int x0 = Math.max(0, (int) Math.floor(minX) - 2);
        int x1 = Math.min(W - 1, (int) Math.ceil(maxX) + 2);
        int y0 = Math.max(0, (int) Math.floor(minY) - 2);
        int y1 = Math.min(H - 1, (int) Math.ceil(maxY) + 2);
        double[] xc = new double[k];
        for (int y = y0; y <= y1; y++) {
            double py = y + 0.5;
            int nc = 0;
            for (int i = 0, j = k - 1; i < k; j = i++) {
                if ((vy[i] > py) != (vy[j] > py)) {
                    xc[nc++] = (vx[j] - vx[i]) * (py - vy[i]) / (vy[j] - vy[i]) + vx[i];
                }
            }
            java.util.Arrays.sort(xc, 0, nc);
            // crossings strictly greater than px: those from index 'c' on
            int c = 0;
            for (int x = x0; x <= x1; x++) {
                double px = x + 0.5;
                while (c < nc && !(px < xc[c])) {
                    c++;
                }
                if (((nc - c) & 1) != 0) {
                    m[x * H + y] = 1;
                }
            }
        }
    }

    /** FNV-1a 64 over the bytes of the given strings, concatenated without separator. */
    static long fnv1a(List<String> strings) {
        long hash = 0xcbf29ce484222325L;
        for (String s : strings) {
            for (int i = 0; i < s.length(); i++) {
                hash ^= s.charAt(i) & 0xff;
                hash *= 0x100000001b3L;
            }
        }
        return hash;
    }
}
