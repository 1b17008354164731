package studio.grounding.worker.model;

/**
 * The two image branches of GLaMM's {@code eval/gcg/infer.py}, on the Java heap.
 *
 * <ul>
 *   <li>CLIP (transformers {@code CLIPImageProcessor}): shorter side to 336 with PIL bicubic (longer side
 *       {@code int(336*long/short)}), centre crop 336x336 ({@code (size-336)//2}), times 1/255, minus mean, over std.</li>
 *   <li>SAM ({@code ResizeLongestSide} + {@code grounding_image_ecoder_preprocess}): scale 1024/max(h,w), sides
 *       {@code int(side*scale + 0.5)}, PIL bilinear, normalised on the 0-255 scale, zero-padded right and bottom
 *       to 1024x1024.</li>
 * </ul>
 * Both return CHW float tensors with a leading batch dimension of 1.
 */
public final class ImagePreprocessor {

    private final int clipSize;
    private final float[] clipMean;
    private final float[] clipStd;
    private final int samSize;
    private final float[] samMean;
    private final float[] samStd;

    public ImagePreprocessor(GlammConfig cfg) {
        this(cfg.clipSize(), cfg.clipMean(), cfg.clipStd(), cfg.samSize(), cfg.samMean(), cfg.samStd());
    }

    public ImagePreprocessor(int clipSize, float[] clipMean, float[] clipStd, int samSize, float[] samMean,
                             float[] samStd) {
        this.clipSize = clipSize;
        this.clipMean = clipMean.clone();
        this.clipStd = clipStd.clone();
        this.samSize = samSize;
        this.samMean = samMean.clone();
        this.samStd = samStd.clone();
    }

    /** The resized (not yet cropped) CLIP image: shorter side {@code clipSize}. */
    public RgbImage clipResize(RgbImage img) {
        int w = img.width();
        int h = img.height();
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) clipSize * longSide / shortSide);
        int nw = w <= h ? clipSize : newLong;
        int nh = w <= h ? newLong : clipSize;
        return PilResize.resize(img, nw, nh, PilResize.Filter.BICUBIC);
    }

    /** The centre-cropped uint8 CLIP input (what the reference PNG fixtures hold). */
    public RgbImage clipCrop(RgbImage resized) {
        int top = (resized.height() - clipSize) / 2;
        int left = (resized.width() - clipSize) / 2;
        byte[] out = new byte[clipSize * clipSize * 3];
        for (int y = 0; y < clipSize; y++) {
            System.arraycopy(resized.rgb(), ((y + top) * resized.width() + left) * 3, out, y * clipSize * 3,
                    clipSize * 3);
        }
        return new RgbImage(clipSize, clipSize, out);
    }

    public FloatTensor clip(RgbImage img) {
        RgbImage crop = clipCrop(clipResize(img));
        int n = clipSize * clipSize;
        float[] out = new float[3 * n];
        double rescale = 1.0 / 255;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = (float) ((crop.rgb()[i * 3 + c] & 0xFF) * rescale);
                out[c * n + i] = (v - clipMean[c]) / clipStd[c];
            }
        }
        return new FloatTensor(out, new long[] {1, 3, clipSize, clipSize});
    }

    /** {@code [height, width]} of the SAM-resized image. */
    public int[] samResizedSize(int height, int width) {
        double scale = samSize * 1.0 / Math.max(height, width);
        return new int[] {(int) (height * scale + 0.5), (int) (width * scale + 0.5)};
    }

    public RgbImage samResize(RgbImage img) {
        int[] hw = samResizedSize(img.height(), img.width());
        return PilResize.resize(img, hw[1], hw[0], PilResize.Filter.BILINEAR);
    }

    public SamInput sam(RgbImage img) {
        RgbImage r = samResize(img);
        int n = samSize * samSize;
        float[] out = new float[3 * n];
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                int src = (y * r.width() + x) * 3;
                int dst = y * samSize + x;
                for (int c = 0; c < 3; c++) {
                    out[c * n + dst] = ((float) (r.rgb()[src + c] & 0xFF) - samMean[c]) / samStd[c];
                }
            }
        }
        return new SamInput(new FloatTensor(out, new long[] {1, 3, samSize, samSize}), r.height(), r.width());
    }

    /** The padded SAM input and the size of the image inside it (needed to crop the masks). */
    public record SamInput(FloatTensor tensor, int resizedHeight, int resizedWidth) {}
}
