package studio.grounding.worker.model;

/**
 * Pillow's {@code Image.resize} for 8-bit RGB ({@code libImaging/Resample.c}): separable convolution, horizontal pass
 * first, filter support widened by the scale when downsampling (antialiasing), coefficients in 22-bit fixed point,
 * each pass rounded and clamped to 8 bits. GLaMM's CLIP branch resizes with BICUBIC (transformers'
 * CLIPImageProcessor goes through PIL), its SAM branch with BILINEAR (torchvision's resize of a PIL image).
 */
public final class PilResize {

    public enum Filter {
        BILINEAR(1.0) {
            @Override
            double weight(double x) {
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            }
        },
        BICUBIC(2.0) {
            @Override
            double weight(double x) {
                final double a = -0.5;
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * a;
                }
                return 0.0;
            }
        };

        final double support;

        Filter(double support) {
            this.support = support;
        }

        abstract double weight(double x);
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResize() {}

    public static RgbImage resize(RgbImage in, int outW, int outH, Filter filter) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("bad size " + outW + "x" + outH);
        }
        if (outW == in.width() && outH == in.height()) {
            return new RgbImage(outW, outH, in.rgb().clone());
        }
        byte[] cur = in.rgb();
        int curW = in.width();
        if (outW != in.width()) {
            cur = horizontal(cur, curW, in.height(), outW, coefficients(curW, outW, filter));
            curW = outW;
        }
        if (outH != in.height()) {
            cur = vertical(cur, curW, in.height(), outH, coefficients(in.height(), outH, filter));
        }
        return new RgbImage(outW, outH, cur);
    }

    private record Coefficients(int ksize, int[] bounds, int[] k) {}

    private static Coefficients coefficients(int inSize, int outSize, Filter filter) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        double support = filter.support * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double[] kk = new double[outSize * ksize];
        int[] bounds = new int[outSize * 2];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                kk[xx * ksize + x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (ww != 0.0) {
                    kk[xx * ksize + x] /= ww;
                }
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        int[] k = new int[kk.length];
        for (int i = 0; i < kk.length; i++) {
            k[i] = kk[i] < 0 ? (int) (-0.5 + kk[i] * (1 << PRECISION_BITS)) : (int) (0.5 + kk[i] * (1 << PRECISION_BITS));
        }
        return new Coefficients(ksize, bounds, k);
    }

    private static byte clip8(int v) {
        int s = v >> PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }

    private static byte[] horizontal(byte[] src, int inW, int h, int outW, Coefficients c) {
        byte[] out = new byte[outW * h * 3];
        int[] k = c.k();
        for (int y = 0; y < h; y++) {
            int row = y * inW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.bounds()[xx * 2];
                int xmax = c.bounds()[xx * 2 + 1];
                int ko = xx * c.ksize();
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int x = 0; x < xmax; x++) {
                    int p = row + (x + xmin) * 3;
                    int w = k[ko + x];
                    s0 += (src[p] & 0xFF) * w;
                    s1 += (src[p + 1] & 0xFF) * w;
                    s2 += (src[p + 2] & 0xFF) * w;
                }
                int o = (y * outW + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    private static byte[] vertical(byte[] src, int w, int inH, int outH, Coefficients c) {
        byte[] out = new byte[w * outH * 3];
        int[] k = c.k();
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.bounds()[yy * 2];
            int ymax = c.bounds()[yy * 2 + 1];
            int ko = yy * c.ksize();
            for (int x = 0; x < w; x++) {
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int y = 0; y < ymax; y++) {
                    int p = ((y + ymin) * w + x) * 3;
                    int wt = k[ko + y];
                    s0 += (src[p] & 0xFF) * wt;
                    s1 += (src[p + 1] & 0xFF) * wt;
                    s2 += (src[p + 2] & 0xFF) * wt;
                }
                int o = (yy * w + x) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }
}
