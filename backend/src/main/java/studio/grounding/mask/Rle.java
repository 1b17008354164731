package studio.grounding.mask;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable COCO run-length-encoded binary mask, with the semantics of pycocotools' {@code maskApi.c}.
 *
 * <p>A mask of {@code height} rows and {@code width} columns is read column by column: pixel (row y, column x) has
 * linear index {@code x*height + y}. The counts are the lengths of alternating runs, background first (the first
 * count may be 0), and sum to {@code height*width}. Every instance is validated on construction, so a {@code Rle}
 * always describes a real mask.
 *
 * <p>Deviations from pycocotools, all of them replacing a silent wrong/sentinel result with an exception:
 * <ul>
 *   <li>malformed strings, counts or dimensions throw {@link MalformedRleException} (pycocotools reads past the
 *       end, overflows or accepts counts that do not sum to h*w);</li>
 *   <li>IoU of masks of different sizes throws {@link MalformedRleException} (pycocotools returns -1 when their
 *       boxes overlap, 0 otherwise);</li>
 *   <li>merging masks of different sizes throws {@link MalformedRleException} (pycocotools returns a 0x0 RLE);
 *       merging an empty list throws {@link IllegalArgumentException} (pycocotools reads {@code R[0]} anyway);</li>
 *   <li>{@link #bbox()} ignores zero-length foreground runs, which pycocotools would count as a pixel (only
 *       non-canonical counts have them); for canonical counts the result is identical.</li>
 * </ul>
 * {@code height*width} is limited to {@link #MAX_PIXELS}, which makes every count and linear index fit an int.
 *
 * <p>Area and bbox are computed on first use and cached (the object is immutable); IoU does not use the caches.
 * Instances are thread-safe.
 */
public final class Rle {

    /** The largest supported {@code height*width}: the largest Java byte array, so {@link #decode()} always works. */
    public static final int MAX_PIXELS = Integer.MAX_VALUE - 8;

    private final int height;
    private final int width;
    private final int[] cnts;
    /**
     * No empty run after the first (canonical masks are), which lets merges copy runs in bulk. Known at
     * construction except for parsed strings, where it is computed on first merge (0 unknown, 1 yes, 2 no).
     */
    private byte zeroFree;
    // Lazily computed caches with benign races: pure functions of the immutable fields. The area fits an int
    // (at most MAX_PIXELS), whose writes are atomic; the box is published through a record's final field.
    private int areaCache = -1;
    private BboxCache bboxCache;

    private record BboxCache(double[] xywh) {
    }

    private Rle(int height, int width, int[] cnts, boolean zeroFree) {
        this.height = height;
        this.width = width;
        this.cnts = cnts;
        this.zeroFree = (byte) (zeroFree ? 1 : 2);
    }

    private Rle(int height, int width, int[] cnts, byte zeroFreeState) {
        this.height = height;
        this.width = width;
        this.cnts = cnts;
        this.zeroFree = zeroFreeState;
    }

    boolean zeroFree() {
        byte z = zeroFree;
        if (z == 0) {
            z = (byte) (RunMerger.zeroFree(cnts) ? 1 : 2);
            zeroFree = z;
        }
        return z == 1;
    }

    /** For results that are zero-free by construction (encode, merges, polygons). */
    private Rle(int height, int width, int[] cnts) {
        this(height, width, cnts, true);
    }

    /** Validates dimensions and returns {@code height*width}. */
    static int pixels(int height, int width) {
        if (height < 0 || width < 0) {
            throw new MalformedRleException("negative mask size " + height + "x" + width + " (height x width)");
        }
        long n = (long) height * width;
        if (n > MAX_PIXELS) {
            throw new MalformedRleException("mask size " + height + "x" + width + " = " + n
                    + " pixels exceeds the supported maximum of " + MAX_PIXELS);
        }
        return (int) n;
    }

    // ---------------------------------------------------------------- construction

    /**
     * Encodes a column-major bitmap ({@code rleEncode}).
     *
     * @param columnMajorBitmap pixel (y, x) at index {@code x*height + y}; nonzero bytes are foreground. Only the
     *                          first {@code height*width} bytes are read.
     * @throws MalformedRleException if the size is invalid or the array is shorter than {@code height*width}
     */
    public static Rle encode(byte[] columnMajorBitmap, int height, int width) {
        Objects.requireNonNull(columnMajorBitmap, "columnMajorBitmap");
        int n = pixels(height, width);
        if (columnMajorBitmap.length < n) {
            throw new MalformedRleException("bitmap has " + columnMajorBitmap.length + " bytes but a " + height + "x"
                    + width + " mask needs " + n);
        }
        return new Rle(height, width, BitmapCodec.encode(columnMajorBitmap, n));
    }

    /**
     * A mask from uncompressed counts (background first).
     *
     * @param counts copied; must be non-negative and sum to {@code height*width} (an empty array is accepted only
     *               for a 0-pixel mask)
     * @throws MalformedRleException naming the first bad run, or the expected and actual sum
     */
    public static Rle fromCounts(int height, int width, int[] counts) {
        Objects.requireNonNull(counts, "counts");
        int n = pixels(height, width);
        long sum = 0;
        boolean zeroFree = true;
        for (int i = 0; i < counts.length; i++) {
            int c = counts[i];
            if (c < 0) {
                throw new MalformedRleException("negative run " + c + " at run index " + i);
            }
            if (c == 0 && i > 0) {
                zeroFree = false;
            }
            sum += c;
        }
        if (sum != n) {
            throw new MalformedRleException("runs sum to " + sum + " but height*width = " + height + "*" + width
                    + " = " + n + " (" + counts.length + " runs)");
        }
        return new Rle(height, width, counts.clone(), zeroFree);
    }

    /**
     * Parses a COCO compressed {@code counts} string ({@code rleFrString}).
     *
     * @throws MalformedRleException for a character outside ASCII 48..111 (with its position), a value cut off by
     *                               the end of the string, an overflowing value, a negative run, or runs that do
     *                               not sum to {@code height*width}
     */
    public static Rle fromString(String counts, int height, int width) {
        Objects.requireNonNull(counts, "counts");
        int n = pixels(height, width);
        return new Rle(height, width, RleStrings.decode(counts, n), (byte) 0);
    }

    /**
     * Rasterises one polygon exactly like pycocotools' {@code rleFrPoly} (1/5-pixel lattice, boundary crossings at
     * pixel centres); the result is bit-identical to the C code, including its boundary quirks.
     *
     * @param xy interleaved {@code x0, y0, x1, y1, ...} with x = column, y = row; pixel (x, y) covers
     *           {@code [x, x+1) x [y, y+1)}. Fewer than 3 vertices or a degenerate polygon give an empty mask.
     * @throws IllegalArgumentException for an odd number of coordinates or non-finite / absurd (beyond 1e8)
     *                                  coordinates
     */
    public static Rle fromPolygon(double[] xy, int height, int width) {
        Objects.requireNonNull(xy, "xy");
        pixels(height, width);
        return new Rle(height, width, PolygonRasterizer.rasterize(xy, height, width));
    }

    /**
     * A multi-polygon annotation like pycocotools' {@code annToRLE}: each polygon rasterised with
     * {@link #fromPolygon}, then their union. An empty list gives an empty mask (pycocotools gives a 0x0 RLE).
     */
    public static Rle fromPolygons(List<double[]> polygons, int height, int width) {
        Objects.requireNonNull(polygons, "polygons");
        int n = pixels(height, width);
        if (polygons.isEmpty()) {
            return new Rle(height, width, new int[] {n});
        }
        int[] acc = PolygonRasterizer.rasterize(polygons.getFirst(), height, width);
        for (int i = 1; i < polygons.size(); i++) {
            // rleFrPoly output has no empty run after the first (see PolygonRasterizer)
            acc = RunMerger.merge(acc, PolygonRasterizer.rasterize(polygons.get(i), height, width), n, false, true);
        }
        return new Rle(height, width, acc);
    }

    /**
     * A box {@code [x, y, w, h]} rasterised like {@code rleFrBbox}, i.e. {@code rleFrPoly} of its four corners
     * {@code [x,y, x,y+h, x+w,y+h, x+w,y]}.
     */
    public static Rle fromBbox(double[] xywh, int height, int width) {
        Objects.requireNonNull(xywh, "xywh");
        if (xywh.length != 4) {
            throw new IllegalArgumentException("bbox must be [x, y, w, h], got " + xywh.length + " values");
        }
        double xs = xywh[0];
        double xe = xs + xywh[2];
        double ys = xywh[1];
        double ye = ys + xywh[3];
        return fromPolygon(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, height, width);
    }

    // ---------------------------------------------------------------- accessors

    /** Image height (rows), COCO {@code size[0]}. */
    public int height() {
        return height;
    }

    /** Image width (columns), COCO {@code size[1]}. */
    public int width() {
        return width;
    }

    /** A copy of the uncompressed counts, background first. */
    public int[] counts() {
        return cnts.clone();
    }

    /** The counts without copying; callers in this package must not modify the array. */
    int[] countsView() {
        return cnts;
    }

    /** Number of runs ({@code m} in pycocotools). */
    public int runCount() {
        return cnts.length;
    }

    /** The COCO compressed {@code counts} string ({@code rleToString}). */
    public String toCompressedString() {
        return RleStrings.encode(cnts, cnts.length);
    }

    /** Decodes to a new column-major bitmap of {@code height*width} bytes, each 0 or 1. */
    public byte[] decode() {
        byte[] out = new byte[height * width];
        BitmapCodec.decodeInto(cnts, out);
        return out;
    }

    /**
     * Decodes into {@code out[0 .. height*width)} (0 or 1 per byte, column-major); bytes beyond are untouched.
     *
     * @throws IllegalArgumentException if {@code out} is shorter than {@code height*width}
     */
    public void decodeInto(byte[] out) {
        Objects.requireNonNull(out, "out");
        if (out.length < height * width) {
            throw new IllegalArgumentException("output buffer has " + out.length + " bytes, mask needs "
                    + (height * width));
        }
        BitmapCodec.decodeInto(cnts, out);
    }

    /** Number of foreground pixels ({@code rleArea}); computed once, then cached. */
    public long area() {
        int a = areaCache;
        if (a < 0) {
            a = (int) computeArea();
            areaCache = a;
        }
        return a;
    }

    /** The uncached area computation (sum of the odd-indexed runs). */
    long computeArea() {
        // the total is at most MAX_PIXELS, so int accumulators cannot overflow; four of them for ILP
        int[] c = cnts;
        int n = c.length;
        int a0 = 0;
        int a1 = 0;
        int a2 = 0;
        int a3 = 0;
        int i = 1;
        for (; i + 6 < n; i += 8) {
            a0 += c[i];
            a1 += c[i + 2];
            a2 += c[i + 4];
            a3 += c[i + 6];
        }
        for (; i < n; i += 2) {
            a0 += c[i];
        }
        return (long) a0 + a1 + a2 + a3;
    }

    /**
     * Tight bounding box {@code [x, y, w, h]} of the foreground as doubles ({@code rleToBbox}); {@code [0,0,0,0]}
     * for an empty mask. Computed once, then cached; the returned array is a copy.
     */
    public double[] bbox() {
        BboxCache b = bboxCache;
        if (b == null) {
            b = new BboxCache(computeBbox());
            bboxCache = b;
        }
        return b.xywh().clone();
    }

    /** The uncached bbox computation. */
    double[] computeBbox() {
        if (height == 0) {
            return new double[4];
        }
        int[] box = Bbox.ofCounts(cnts, height);
        if (box[2] < 0) {
            return new double[4];
        }
        return new double[] {box[0], box[1], box[2] - box[0] + 1, box[3] - box[1] + 1};
    }

    // ---------------------------------------------------------------- comparisons and set operations

    /**
     * IoU of two masks ({@code rleIou} for one pair): |dt ∩ gt| / |dt ∪ gt|, or |dt ∩ gt| / |dt| when
     * {@code gtIsCrowd}. 0 when the boxes do not overlap or the intersection is empty (also for two empty masks).
     *
     * @throws MalformedRleException if the sizes differ (pycocotools returns -1 or 0)
     */
    public static double iou(Rle dt, Rle gt, boolean gtIsCrowd) {
        requireSameSize(dt, gt, "IoU");
        return MaskIou.iou(new RunIndex(dt), new RunIndex(gt), gtIsCrowd);
    }

    /**
     * IoU matrix ({@code rleIou}): {@code result[d][g]} = IoU of {@code dt.get(d)} and {@code gt.get(g)}, the layout
     * of pycocotools' Python {@code iou(dt, gt, iscrowd)} (shape {@code len(dt) x len(gt)}).
     *
     * @param gtIsCrowd one flag per ground-truth mask, or {@code null} for none crowd
     * @throws MalformedRleException if any dt/gt pair differs in size
     */
    public static double[][] iou(List<Rle> dt, List<Rle> gt, boolean[] gtIsCrowd) {
        Objects.requireNonNull(dt, "dt");
        Objects.requireNonNull(gt, "gt");
        return MaskIou.iou(dt, gt, gtIsCrowd);
    }

    /** Union of one or more masks of the same size ({@code rleMerge(..., intersect=0)}). */
    public static Rle union(List<Rle> masks) {
        return merge(masks, false);
    }

    /** Intersection of one or more masks of the same size ({@code rleMerge(..., intersect=1)}). */
    public static Rle intersection(List<Rle> masks) {
        return merge(masks, true);
    }

    /**
     * Union or intersection of one or more masks ({@code rleMerge}), computed on the runs (no h*w buffer). The
     * result is canonical (maximal runs). One mask is returned as is.
     *
     * @throws IllegalArgumentException for an empty list
     * @throws MalformedRleException    if the sizes differ
     */
    public static Rle merge(List<Rle> masks, boolean intersect) {
        Objects.requireNonNull(masks, "masks");
        if (masks.isEmpty()) {
            throw new IllegalArgumentException("cannot merge an empty list of masks");
        }
        Rle first = masks.getFirst();
        for (int i = 1; i < masks.size(); i++) {
            Rle r = masks.get(i);
            if (r.height != first.height || r.width != first.width) {
                throw new MalformedRleException("merge of masks of different sizes: mask 0 is " + first.height + "x"
                        + first.width + " but mask " + i + " is " + r.height + "x" + r.width);
            }
        }
        if (masks.size() == 1) {
            return first;
        }
        int n = first.height * first.width;
        int[] acc = first.cnts;
        boolean accZeroFree = first.zeroFree();
        for (int i = 1; i < masks.size(); i++) {
            Rle b = masks.get(i);
            acc = RunMerger.merge(acc, b.cnts, n, intersect, accZeroFree && b.zeroFree());
            accZeroFree = true; // merge output is canonical
        }
        return new Rle(first.height, first.width, acc);
    }

    private static void requireSameSize(Rle a, Rle b, String op) {
        Objects.requireNonNull(a, "dt");
        Objects.requireNonNull(b, "gt");
        if (a.height != b.height || a.width != b.width) {
            throw new MalformedRleException(op + " of masks of different sizes: " + a.height + "x" + a.width
                    + " vs " + b.height + "x" + b.width);
        }
    }

    // ---------------------------------------------------------------- Object

    /** Equal when sizes and counts are equal (non-canonical counts of the same pixels are not equal). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.cnts, cnts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(cnts);
    }

    @Override
    public String toString() {
        return "Rle[" + height + "x" + width + ", " + cnts.length + " runs]";
    }
}
