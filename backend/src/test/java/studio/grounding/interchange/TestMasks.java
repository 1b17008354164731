package studio.grounding.interchange;

import java.util.ArrayList;
import java.util.List;

/**
 * Test stand-in for the mask library behind {@link MaskCodec}: a faithful port of pycocotools' compressed string
 * codec (checked against {@code shared/spec/rle-vectors.json}) and a deliberately simple polygon rasteriser
 * (filled bounding box of the vertices) so readers can be tested without the mask library.
 */
final class TestMasks implements MaskCodec {

    static final TestMasks INSTANCE = new TestMasks();

    @Override
    public void check(String counts, int height, int width) {
        long[] cnts = decode(counts);
        long sum = 0;
        for (long c : cnts) {
            if (c < 0) {
                throw new IllegalArgumentException("negative run length");
            }
            sum += c;
        }
        if (sum != (long) height * width) {
            throw new IllegalArgumentException("runs cover " + sum + " pixels, not " + ((long) height * width));
        }
    }

    @Override
    public String fromPolygons(List<double[]> polygons, int height, int width) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -1, y1 = -1;
        for (double[] p : polygons) {
            for (int i = 0; i + 1 < p.length; i += 2) {
                x0 = Math.min(x0, p[i]);
                x1 = Math.max(x1, p[i]);
                y0 = Math.min(y0, p[i + 1]);
                y1 = Math.max(y1, p[i + 1]);
            }
        }
        return rect(height, width, (int) x0, (int) y0, (int) Math.ceil(x1), (int) Math.ceil(y1));
    }

    @Override
    public long area(String counts, int height, int width) {
        long[] c = decode(counts);
        long a = 0;
        for (int i = 1; i < c.length; i += 2) {
            a += c[i];
        }
        return a;
    }

    @Override
    public double[] bbox(String counts, int height, int width) {
        long[] c = decode(counts);
        long pos = 0;
        long xs = Long.MAX_VALUE, xe = -1, ys = Long.MAX_VALUE, ye = -1;
        for (int i = 0; i < c.length; i++) {
            if (i % 2 == 1 && c[i] > 0) {
                for (long p = pos; p < pos + c[i]; p++) {
                    long x = p / height, y = p % height;
                    xs = Math.min(xs, x);
                    xe = Math.max(xe, x);
                    ys = Math.min(ys, y);
                    ye = Math.max(ye, y);
                }
            }
            pos += c[i];
        }
        if (xe < 0) {
            return new double[] {0, 0, 0, 0};
        }
        return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
    }

    /** Mask of the pixels {@code x in [x0, x1), y in [y0, y1)}, clipped, as a compressed string. */
    static String rect(int h, int w, int x0, int y0, int x1, int y1) {
        x0 = Math.max(0, x0);
        y0 = Math.max(0, y0);
        x1 = Math.min(w, x1);
        y1 = Math.min(h, y1);
        List<Long> runs = new ArrayList<>();
        boolean value = false;
        long run = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean on = x >= x0 && x < x1 && y >= y0 && y < y1;
                if (on != value) {
                    runs.add(run);
                    run = 0;
                    value = on;
                }
                run++;
            }
        }
        runs.add(run);
        return encode(runs.stream().mapToLong(Long::longValue).toArray());
    }

    /** pycocotools rleToString. */
    static String encode(long[] cnts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cnts.length; i++) {
            long x = cnts[i];
            if (i > 2) {
                x -= cnts[i - 2];
            }
            boolean more = true;
            while (more) {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** pycocotools rleFrString, strict about characters and unterminated values. */
    static long[] decode(String s) {
        List<Long> cnts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("counts end in the middle of a value");
                }
                int c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("character '" + s.charAt(p) + "' at " + p + " is not an RLE digit");
                }
                if (k > 12) {
                    throw new IllegalArgumentException("value too long");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (cnts.size() > 2) {
                x += cnts.get(cnts.size() - 2);
            }
            cnts.add(x);
        }
        return cnts.stream().mapToLong(Long::longValue).toArray();
    }
}
