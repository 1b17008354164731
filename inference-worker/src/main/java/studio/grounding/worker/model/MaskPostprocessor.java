package studio.grounding.worker.model;

/**
 * SAM's {@code postprocess_masks} as GLaMM uses it, then {@code > 0}: low-resolution logits (256x256) upsampled
 * bilinearly to 1024x1024, cropped to the resized image, upsampled bilinearly to the original size. Bilinear is
 * PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False)} in float: source index
 * {@code max(scale*(dst+0.5)-0.5, 0)} with {@code scale = in/out}. Only the part of the 1024 map that survives the
 * crop is computed.
 */
public final class MaskPostprocessor {

    private final int inputSize;

    public MaskPostprocessor(int inputSize) {
        this.inputSize = inputSize;
    }

    /** Final logits at the original size, row-major {@code [origH*origW]}. */
    public float[] logits(float[] lowRes, int lowH, int lowW, int resizedH, int resizedW, int origH, int origW) {
        if (lowRes.length != lowH * lowW) {
            throw new IllegalArgumentException("low-res mask is not " + lowH + "x" + lowW);
        }
        if (resizedH > inputSize || resizedW > inputSize) {
            throw new IllegalArgumentException("resized size exceeds " + inputSize);
        }
        Axis ys = new Axis(lowH, inputSize, resizedH);
        Axis xs = new Axis(lowW, inputSize, resizedW);
        float[] big = bilinear(lowRes, lowW, ys, xs);            // [resizedH x resizedW]
        return bilinear(big, resizedW, new Axis(resizedH, origH, origH), new Axis(resizedW, origW, origW));
    }

    /** The binary mask, column-major (pixel (y,x) at {@code x*origH + y}) as COCO RLE wants it; 1 = logit > 0. */
    public byte[] binaryColumnMajor(float[] lowRes, int lowH, int lowW, int resizedH, int resizedW, int origH,
                                    int origW) {
        float[] l = logits(lowRes, lowH, lowW, resizedH, resizedW, origH, origW);
        byte[] out = new byte[l.length];
        for (int y = 0; y < origH; y++) {
            for (int x = 0; x < origW; x++) {
                out[x * origH + y] = (byte) (l[y * origW + x] > 0f ? 1 : 0);
            }
        }
        return out;
    }

    /** The COCO RLE mask at the original size (the pre-fill and the interactive path both end here). */
    public GlammPrediction.Mask toMask(float[] lowRes, int lowH, int lowW, int resizedH, int resizedW, int origH,
                                       int origW) {
        int[] counts = MaskRle.counts(binaryColumnMajor(lowRes, lowH, lowW, resizedH, resizedW, origH, origW));
        return new GlammPrediction.Mask(origH, origW, MaskRle.toCompressedString(counts), MaskRle.area(counts));
    }

    /** Source indices and weights for the first {@code count} outputs of an in -> out resize. */
    private static final class Axis {
        final int[] i0;
        final int[] i1;
        final float[] l0;
        final float[] l1;

        Axis(int in, int out, int count) {
            float scale = (float) in / out;
            i0 = new int[count];
            i1 = new int[count];
            l0 = new float[count];
            l1 = new float[count];
            for (int d = 0; d < count; d++) {
                float src = scale * (d + 0.5f) - 0.5f;
                if (src < 0f) {
                    src = 0f;
                }
                int a = (int) src;
                i0[d] = a;
                i1[d] = a + (a < in - 1 ? 1 : 0);
                float lam = Math.min(Math.max(src - a, 0f), 1f);
                l1[d] = lam;
                l0[d] = 1f - lam;
            }
        }
    }

    private static float[] bilinear(float[] src, int srcW, Axis ys, Axis xs) {
        int h = ys.i0.length;
        int w = xs.i0.length;
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            int r0 = ys.i0[y] * srcW;
            int r1 = ys.i1[y] * srcW;
            float h0 = ys.l0[y];
            float h1 = ys.l1[y];
            for (int x = 0; x < w; x++) {
                int c0 = xs.i0[x];
                int c1 = xs.i1[x];
                float w0 = xs.l0[x];
                float w1 = xs.l1[x];
                out[y * w + x] = h0 * (w0 * src[r0 + c0] + w1 * src[r0 + c1])
                        + h1 * (w0 * src[r1 + c0] + w1 * src[r1 + c1]);
            }
        }
        return out;
    }
}
