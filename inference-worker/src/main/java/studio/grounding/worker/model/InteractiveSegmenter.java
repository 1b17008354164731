package studio.grounding.worker.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Click-to-segment with SAM, on the model's own grounding encoder and {@code prompt_decoder} part (export/glamm_parts
 * {@code PromptDecoder}): the image embedding is computed once per image hash and kept in a size-bounded LRU
 * ({@link ImageEmbeddingCache}); each prompt (positive/negative clicks, a box, optionally the previous mask) is
 * one prompt-decoder call. Prompts are in original image pixels and are mapped to the 1024 input frame as
 * segment_anything's {@code ResizeLongestSide.apply_coords} does; masks come back through the pre-fill path's
 * {@link MaskPostprocessor#toMask}, at the image size. Thread-safe (one prompt at a time).
 */
public final class InteractiveSegmenter implements AutoCloseable {

    /** A click at pixel (x, y) of the original image; positive = "this is the object". */
    public record Point(double x, double y, boolean positive) {}

    /** A box in original image pixels, {@code x0 <= x1}, {@code y0 <= y1}. */
    public record Box(double x0, double y0, double x1, double y1) {}

    /**
     * A prompt: clicks, an optional box, an optional previous mask (binary, column-major at the image size, as
     * {@link MaskRle} decodes it). At least one click or the box.
     */
    public record Prompt(List<Point> points, Box box, byte[] previousMask) {
        public Prompt {
            points = List.copyOf(points == null ? List.of() : points);
            if (points.isEmpty() && box == null) {
                throw new IllegalArgumentException("a prompt needs at least one point or a box");
            }
        }
    }

    /** SAM's three candidate masks with their predicted IoU, best first in {@link #best()}. */
    public record Result(List<GlammPrediction.Mask> masks, float[] scores, int best, boolean embeddingCached,
                         double embeddingMillis, double decodeMillis) {
        public GlammPrediction.Mask bestMask() {
            return masks.get(best);
        }
    }

    /** Logit given to the previous mask's pixels (inside +, outside −) when it is fed back as SAM's mask input. */
    static final float MASK_INPUT_LOGIT = 20f;

    private final GlammModel model;
    private final ImageEmbeddingCache cache;
    private long embeddingsComputed;

    InteractiveSegmenter(GlammModel model, long cacheBytes) {
        this.model = model;
        this.cache = new ImageEmbeddingCache(cacheBytes);
    }

    /**
     * Segments the image with this hash; {@code image} is asked for only when the embedding is not cached. Points
     * and the box must lie inside the image.
     */
    public synchronized Result segment(String imageHash, Supplier<RgbImage> image, Prompt prompt) {
        long e0 = System.nanoTime();
        ImageEmbeddingCache.Entry e = cache.get(imageHash);
        boolean cached = e != null;
        if (e == null) {
            e = embed(imageHash, image.get());
        }
        long d0 = System.nanoTime();
        check(prompt, e);
        int size = model.config().samSize();
        int low = model.config().lowResSize();
        List<float[]> pts = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        double sx = (double) e.resizedWidth() / e.width();
        double sy = (double) e.resizedHeight() / e.height();
        for (Point p : prompt.points()) {
            pts.add(new float[] {(float) (p.x() * sx), (float) (p.y() * sy)});
            labels.add(p.positive() ? 1f : 0f);
        }
        if (prompt.box() != null) {
            Box b = prompt.box();
            pts.add(new float[] {(float) (b.x0() * sx), (float) (b.y0() * sy)});
            labels.add(2f);
            pts.add(new float[] {(float) (b.x1() * sx), (float) (b.y1() * sy)});
            labels.add(3f);
        } else {
            pts.add(new float[] {0f, 0f});      // SAM pads a points-only prompt with one "not a point"
            labels.add(-1f);
        }
        float[] xy = new float[pts.size() * 2];
        float[] lab = new float[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[2 * i] = pts.get(i)[0];
            xy[2 * i + 1] = pts.get(i)[1];
            lab[i] = labels.get(i);
        }
        float[] maskInput = prompt.previousMask() == null ? new float[low * low]
                : maskInput(prompt.previousMask(), e, size, low);
        try (NDManager m = model.newSubManager()) {
            NDList out = model.decodePrompt(m, e.embedding(), new FloatTensor(xy, new long[] {1, pts.size(), 2}),
                    new FloatTensor(lab, new long[] {1, pts.size()}),
                    new FloatTensor(maskInput, new long[] {1, 1, low, low}), prompt.previousMask() == null ? 0f : 1f);
            FloatTensor masks = NdTensors.fromNd(out.get(0));
            float[] scores = NdTensors.fromNd(out.get(1)).data();
            int n = (int) masks.shape()[1];
            int lh = (int) masks.shape()[2];
            int lw = (int) masks.shape()[3];
            List<GlammPrediction.Mask> result = new ArrayList<>();
            int best = 0;
            for (int k = 0; k < n; k++) {
                float[] one = Arrays.copyOfRange(masks.data(), k * lh * lw, (k + 1) * lh * lw);
                result.add(model.postprocessor().toMask(one, lh, lw, e.resizedHeight(), e.resizedWidth(), e.height(),
                        e.width()));
                if (scores[k] > scores[best]) {
                    best = k;
                }
            }
            long end = System.nanoTime();
            return new Result(List.copyOf(result), scores, best, cached, (d0 - e0) / 1e6, (end - d0) / 1e6);
        }
    }

    private ImageEmbeddingCache.Entry embed(String hash, RgbImage img) {
        ImagePreprocessor.SamInput in = model.preprocessor().sam(img);
        NDManager m = model.newSubManager();
        try {
            NDArray emb = model.imageEmbedding(m, in.tensor());
            long bytes = emb.getShape().size() * 4L;
            ImageEmbeddingCache.Entry e = new ImageEmbeddingCache.Entry(m, emb, bytes, img.height(), img.width(),
                    in.resizedHeight(), in.resizedWidth());
            cache.put(hash, e);
            embeddingsComputed++;
            return e;
        } catch (RuntimeException ex) {
            m.close();
            throw ex;
        }
    }

    private static void check(Prompt p, ImageEmbeddingCache.Entry e) {
        for (Point pt : p.points()) {
            inside("point", pt.x(), pt.y(), e);
        }
        if (p.box() != null) {
            Box b = p.box();
            inside("box corner", b.x0(), b.y0(), e);
            inside("box corner", b.x1(), b.y1(), e);
            if (b.x0() > b.x1() || b.y0() > b.y1()) {
                throw new IllegalArgumentException("box " + b + " has x0 > x1 or y0 > y1");
            }
        }
        if (p.previousMask() != null && p.previousMask().length != (long) e.width() * e.height()) {
            throw new IllegalArgumentException("previous mask has " + p.previousMask().length + " pixels, the image "
                    + e.width() + "x" + e.height());
        }
    }

    private static void inside(String what, double x, double y, ImageEmbeddingCache.Entry e) {
        if (!(x >= 0 && y >= 0 && x <= e.width() && y <= e.height())) {
            throw new IllegalArgumentException(what + " (" + x + ", " + y + ") is outside the " + e.width() + "x"
                    + e.height() + " image");
        }
    }

    /**
     * A binary mask at the image size as SAM's low-res mask input: the low-res cell (i, j) covers the 1024 frame's
     * pixel ((i+0.5)*4, (j+0.5)*4), which maps back to one image pixel; inside = +{@value #MASK_INPUT_LOGIT},
     * outside or in the padding = −{@value #MASK_INPUT_LOGIT}.
     */
    static float[] maskInput(byte[] colMajor, ImageEmbeddingCache.Entry e, int size, int low) {
        float[] out = new float[low * low];
        double cell = (double) size / low;
        for (int i = 0; i < low; i++) {
            double fy = (i + 0.5) * cell;
            for (int j = 0; j < low; j++) {
                double fx = (j + 0.5) * cell;
                boolean on = false;
                if (fy < e.resizedHeight() && fx < e.resizedWidth()) {
                    int y = Math.min(e.height() - 1, (int) (fy * e.height() / e.resizedHeight()));
                    int x = Math.min(e.width() - 1, (int) (fx * e.width() / e.resizedWidth()));
                    on = colMajor[x * e.height() + y] != 0;
                }
                out[i * low + j] = on ? MASK_INPUT_LOGIT : -MASK_INPUT_LOGIT;
            }
        }
        return out;
    }

    /** How many image embeddings were computed (not served from the cache) since start. */
    public synchronized long embeddingsComputed() {
        return embeddingsComputed;
    }

    public synchronized int cachedImages() {
        return cache.size();
    }

    public synchronized long cachedBytes() {
        return cache.bytes();
    }

    @Override
    public synchronized void close() {
        cache.close();
    }
}
