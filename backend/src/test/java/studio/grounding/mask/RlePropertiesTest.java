package studio.grounding.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the mask library checked against straightforward bitmap computations. */
class RlePropertiesTest {

    /** A column-major bitmap; {@code px} may hold any byte values (nonzero = foreground). */
    record Bitmap(int h, int w, byte[] px) {
        byte[] normalized() {
            byte[] r = new byte[h * w];
            for (int i = 0; i < r.length; i++) {
                r[i] = (byte) (px[i] != 0 ? 1 : 0);
            }
            return r;
        }

        @Override
        public String toString() {
            return "Bitmap[" + h + "x" + w + "]";
        }
    }

    /** Random bitmaps in several styles: pixel noise, long runs, blobs, any nonzero byte values. */
    static Bitmap randomBitmap(Random rnd, int h, int w) {
        int n = h * w;
        byte[] px = new byte[n];
        int style = rnd.nextInt(5);
        switch (style) {
            case 0 -> { // noise with random density
                double p = rnd.nextDouble();
                for (int i = 0; i < n; i++) {
                    px[i] = (byte) (rnd.nextDouble() < p ? 1 : 0);
                }
            }
            case 1 -> { // alternating runs of random length (exercises the 8-byte scan across run ends)
                int i = 0;
                boolean fg = rnd.nextBoolean();
                while (i < n) {
                    int len = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 40);
                    for (int j = i; j < Math.min(n, i + len); j++) {
                        px[j] = (byte) (fg ? 1 + rnd.nextInt(255) : 0); // any nonzero value is foreground
                    }
                    i += len;
                    fg = !fg;
                }
            }
            case 2 -> { // a few rectangles
                int k = rnd.nextInt(4);
                for (int r = 0; r < k && n > 0; r++) {
                    int x0 = rnd.nextInt(w);
                    int x1 = x0 + rnd.nextInt(w - x0);
                    int y0 = rnd.nextInt(h);
                    int y1 = y0 + rnd.nextInt(h - y0);
                    for (int x = x0; x <= x1; x++) {
                        for (int y = y0; y <= y1; y++) {
                            px[x * h + y] = 1;
                        }
                    }
                }
            }
            case 3 -> { // all foreground or all background
                byte v = (byte) (rnd.nextBoolean() ? 1 : 0);
                java.util.Arrays.fill(px, v);
            }
            default -> { // arbitrary bytes, including negative ones
                rnd.nextBytes(px);
                for (int i = 0; i < n; i++) {
                    if (rnd.nextInt(3) == 0) {
                        px[i] = 0;
                    }
                }
            }
        }
        return new Bitmap(h, w, px);
    }

    @Provide
    Arbitrary<Bitmap> bitmaps() {
        return Combinators.combine(Arbitraries.integers().between(0, 70), Arbitraries.integers().between(0, 70),
                Arbitraries.randoms()).as((h, w, rnd) -> randomBitmap(rnd, h, w));
    }

    /** Two or three bitmaps of the same size. */
    @Provide
    Arbitrary<List<Bitmap>> sameSizeBitmaps() {
        return Combinators.combine(Arbitraries.integers().between(0, 50), Arbitraries.integers().between(0, 50),
                Arbitraries.integers().between(2, 3), Arbitraries.randoms()).as((h, w, k, rnd) -> {
                    List<Bitmap> l = new ArrayList<>();
                    for (int i = 0; i < k; i++) {
                        l.add(randomBitmap(rnd, h, w));
                    }
                    return l;
                });
    }

    static void assertValid(Rle r) {
        long sum = 0;
        int[] c = r.counts();
        for (int i = 0; i < c.length; i++) {
            assertTrue(c[i] >= 0, "run " + i + " negative");
            sum += c[i];
        }
        assertEquals((long) r.height() * r.width(), sum, "runs sum to h*w");
    }

    static void assertCanonical(Rle r) {
        int[] c = r.counts();
        for (int i = 1; i < c.length; i++) {
            assertTrue(c[i] > 0, "zero run at index " + i);
        }
    }

    @Property(tries = 500)
    void encodeDecodeRoundTrip(@ForAll("bitmaps") Bitmap b) {
        Rle r = Rle.encode(b.px(), b.h(), b.w());
        assertValid(r);
        assertCanonical(r);
        assertArrayEquals(b.normalized(), r.decode());
        byte[] reused = new byte[b.h() * b.w() + 3];
        java.util.Arrays.fill(reused, (byte) 7);
        r.decodeInto(reused);
        assertArrayEquals(b.normalized(), java.util.Arrays.copyOf(reused, b.h() * b.w()));
        assertEquals(7, reused[reused.length - 1], "bytes beyond h*w untouched");
    }

    @Property(tries = 500)
    void countsStringCountsRoundTrip(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> counts) {
        int[] c = counts.stream().mapToInt(Integer::intValue).toArray();
        String s = RleStrings.encode(c, c.length);
        for (int i = 0; i < s.length(); i++) {
            assertTrue(s.charAt(i) >= 48 && s.charAt(i) <= 111);
        }
        long[] back = RleStrings.decodeRaw(s);
        assertEquals(c.length, back.length);
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], back[i]);
        }
    }

    @Property(tries = 300)
    void maskStringRoundTrip(@ForAll("bitmaps") Bitmap b) {
        Rle r = Rle.encode(b.px(), b.h(), b.w());
        Rle back = Rle.fromString(r.toCompressedString(), b.h(), b.w());
        assertEquals(r, back);
        assertEquals(r, Rle.fromCounts(b.h(), b.w(), r.counts()));
    }

    @Property(tries = 300)
    void areaIsPopcount(@ForAll("bitmaps") Bitmap b) {
        Rle r = Rle.encode(b.px(), b.h(), b.w());
        long pop = 0;
        for (byte x : b.px()) {
            pop += x != 0 ? 1 : 0;
        }
        assertEquals(pop, r.area());
        assertEquals(pop, r.computeArea());
    }

    static double[] tightBox(byte[] px, int h, int w) {
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = -1;
        int y1 = -1;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                if (px[x * h + y] != 0) {
                    x0 = Math.min(x0, x);
                    x1 = Math.max(x1, x);
                    y0 = Math.min(y0, y);
                    y1 = Math.max(y1, y);
                }
            }
        }
        return x1 < 0 ? new double[4] : new double[] {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
    }

    @Property(tries = 500)
    void bboxIsTightBox(@ForAll("bitmaps") Bitmap b) {
        Rle r = Rle.encode(b.px(), b.h(), b.w());
        assertArrayEquals(tightBox(b.px(), b.h(), b.w()), r.bbox());
        assertArrayEquals(tightBox(b.px(), b.h(), b.w()), r.computeBbox());
    }

    @Property(tries = 400)
    void unionAndIntersectionAreBitwiseOrAnd(@ForAll("sameSizeBitmaps") List<Bitmap> bs) {
        int h = bs.getFirst().h();
        int w = bs.getFirst().w();
        byte[] or = new byte[h * w];
        byte[] and = new byte[h * w];
        java.util.Arrays.fill(and, (byte) 1);
        List<Rle> rs = new ArrayList<>();
        for (Bitmap b : bs) {
            byte[] nb = b.normalized();
            for (int i = 0; i < nb.length; i++) {
                or[i] |= nb[i];
                and[i] &= nb[i];
            }
            rs.add(Rle.encode(b.px(), h, w));
        }
        Rle u = Rle.union(rs);
        Rle in = Rle.intersection(rs);
        assertArrayEquals(or, u.decode());
        assertArrayEquals(and, in.decode());
        // canonical like rleMerge: identical to encoding the OR / AND bitmap
        assertEquals(Rle.encode(or, h, w), u);
        assertEquals(Rle.encode(and, h, w), in);
        assertEquals(u, Rle.merge(rs, false));
        assertEquals(in, Rle.merge(rs, true));
    }

    @Property(tries = 200)
    void mergeHandlesNonCanonicalInputs(@ForAll("sameSizeBitmaps") List<Bitmap> bs, @ForAll Random rnd) {
        // split runs with zero-length runs inserted: same pixels, different counts; merge results must not change
        int h = bs.getFirst().h();
        int w = bs.getFirst().w();
        List<Rle> canonical = new ArrayList<>();
        List<Rle> padded = new ArrayList<>();
        for (Bitmap b : bs) {
            Rle r = Rle.encode(b.px(), h, w);
            canonical.add(r);
            List<Integer> c = new ArrayList<>();
            for (int x : r.counts()) {
                if (x > 1 && rnd.nextInt(3) == 0) {
                    int cut = 1 + rnd.nextInt(x - 1);
                    c.add(cut);
                    c.add(0);
                    c.add(x - cut);
                } else {
                    c.add(x);
                }
            }
            padded.add(Rle.fromCounts(h, w, c.stream().mapToInt(Integer::intValue).toArray()));
        }
        assertEquals(Rle.union(canonical), Rle.union(padded));
        assertEquals(Rle.intersection(canonical), Rle.intersection(padded));
        for (int i = 0; i < canonical.size(); i++) {
            assertArrayEquals(canonical.get(i).decode(), padded.get(i).decode());
            assertArrayEquals(canonical.get(i).bbox(), padded.get(i).bbox());
            assertEquals(canonical.get(i).area(), padded.get(i).area());
        }
        assertEquals(Rle.iou(canonical.get(0), canonical.get(1), false), Rle.iou(padded.get(0), padded.get(1), false));
    }

    @Property(tries = 400)
    void iouMatchesBitmapComputation(@ForAll("sameSizeBitmaps") List<Bitmap> bs) {
        Bitmap a = bs.get(0);
        Bitmap b = bs.get(1);
        Rle ra = Rle.encode(a.px(), a.h(), a.w());
        Rle rb = Rle.encode(b.px(), b.h(), b.w());
        long inter = 0;
        long union = 0;
        long areaA = 0;
        for (int i = 0; i < a.px().length; i++) {
            boolean x = a.px()[i] != 0;
            boolean y = b.px()[i] != 0;
            inter += x && y ? 1 : 0;
            union += x || y ? 1 : 0;
            areaA += x ? 1 : 0;
        }
        double expected = inter == 0 ? 0.0 : (double) inter / union;
        double expectedCrowd = inter == 0 ? 0.0 : (double) inter / areaA;
        double iou = Rle.iou(ra, rb, false);
        assertEquals(expected, iou, 0.0);
        assertEquals(iou, Rle.iou(rb, ra, false), 0.0, "symmetric");
        assertTrue(iou >= 0.0 && iou <= 1.0);
        assertEquals(expectedCrowd, Rle.iou(ra, rb, true), 0.0);
        double[][] o = Rle.iou(List.of(ra, rb), List.of(rb, ra), new boolean[] {false, true});
        assertEquals(iou, o[0][0], 0.0);
        assertEquals(Rle.iou(rb, ra, true), o[1][1], 0.0);
        assertEquals(Rle.iou(ra, ra, true), o[0][1], 0.0);
        assertEquals(Rle.iou(rb, rb, false), o[1][0], 0.0);
    }

    @Provide
    Arbitrary<double[]> polygonCoords() {
        return Combinators.combine(Arbitraries.integers().between(0, 12), Arbitraries.randoms()).as((k, rnd) -> {
            double[] xy = new double[2 * k];
            for (int i = 0; i < xy.length; i++) {
                double v = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextInt(90) - 20;                          // integers, some outside
                    case 1 -> Math.round((rnd.nextDouble() * 100 - 25) * 100) / 100.0; // COCO-style 2 decimals
                    case 2 -> rnd.nextInt(60) * 0.1 - 0.5;                    // near the rounding edges
                    default -> rnd.nextDouble() * 90 - 20;
                };
                xy[i] = v;
            }
            if (k > 1 && rnd.nextInt(5) == 0) { // repeat a vertex (degenerate edge)
                xy[2] = xy[0];
                xy[3] = xy[1];
            }
            return xy;
        });
    }

    @Property(tries = 1000)
    void polygonMatchesLiteralCPortAndStaysInsideImage(@ForAll("polygonCoords") double[] xy,
            @ForAll @IntRange(min = 1, max = 60) int h, @ForAll @IntRange(min = 1, max = 60) int w) {
        Rle r = Rle.fromPolygon(xy, h, w);
        assertArrayEquals(ReferenceFrPoly.frPoly(xy, h, w), r.counts());
        assertValid(r);
        double[] bb = r.bbox();
        assertTrue(bb[0] >= 0 && bb[1] >= 0 && bb[0] + bb[2] <= w && bb[1] + bb[3] <= h);
        assertEquals(r.area(), RleVectorsTest.popcount(r.decode()));
    }

    @Property(tries = 300)
    void multiPolygonIsUnionOfPolygons(@ForAll("polygonCoords") double[] p1, @ForAll("polygonCoords") double[] p2,
            @ForAll @IntRange(min = 1, max = 60) int h, @ForAll @IntRange(min = 1, max = 60) int w) {
        Rle multi = Rle.fromPolygons(List.of(p1, p2), h, w);
        byte[] a = Rle.fromPolygon(p1, h, w).decode();
        byte[] b = Rle.fromPolygon(p2, h, w).decode();
        for (int i = 0; i < a.length; i++) {
            a[i] |= b[i];
        }
        assertEquals(Rle.encode(a, h, w), multi);
    }

    @Property(tries = 2000)
    void integerBoundaryMathEqualsCDoubles(@ForAll @IntRange(min = -100_000, max = 100_000) int u,
            @ForAll @IntRange(min = 0, max = 5000) int h, @ForAll @IntRange(min = 1, max = 5000) int w) {
        // xd = (u + .5)/5 - .5 kept iff integral and in [0, w-1]
        double xd = (u + .5) / 5 - .5;
        boolean keepC = !(Math.floor(xd) != xd || xd < 0 || xd > w - 1);
        int r = u - 2;
        boolean keepJ = Math.floorMod(r, 5) == 0 && Math.floorDiv(r, 5) >= 0 && Math.floorDiv(r, 5) <= w - 1;
        assertEquals(keepC, keepJ);
        if (keepC) {
            assertEquals((int) xd, Math.floorDiv(r, 5));
        }
        double yd = (u + .5) / 5 - .5;
        if (yd < 0) {
            yd = 0;
        } else if (yd > h) {
            yd = h;
        }
        long yj = Math.min(Math.max(Math.ceilDiv((long) u - 2, 5), 0), h);
        assertEquals((long) Math.ceil(yd), yj);
    }

    // ------------------------------------------------------------------ fuzz

    @Provide
    Arbitrary<String> countsLikeStrings() {
        Arbitrary<String> alphabet = Arbitraries.strings().withCharRange('0', 'o').ofMaxLength(24);
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(12);
        Arbitrary<String> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(16)
                .map(b -> new String(b, StandardCharsets.ISO_8859_1));
        return Arbitraries.oneOf(alphabet, alphabet, anyChars, bytes);
    }

    @Property(tries = 3000)
    void arbitraryStringsThrowMalformedOrYieldValidMasks(@ForAll("countsLikeStrings") String s,
            @ForAll @IntRange(min = 0, max = 40) int h, @ForAll @IntRange(min = 0, max = 40) int w) {
        checkFuzzed(s, h, w);
        Statistics.coverage(c -> c.check("malformed").count(n -> n > 0));
    }

    /** Mutations of valid strings: far more likely to reach the sum and delta checks than random text. */
    @Property(tries = 2000)
    void mutatedValidStringsThrowMalformedOrYieldValidMasks(@ForAll("bitmaps") Bitmap b, @ForAll Random rnd) {
        String s = Rle.encode(b.px(), b.h(), b.w()).toCompressedString();
        StringBuilder sb = new StringBuilder(s);
        int op = rnd.nextInt(4);
        if (op == 0 && !sb.isEmpty()) {
            sb.setCharAt(rnd.nextInt(sb.length()), (char) (40 + rnd.nextInt(80)));
        } else if (op == 1 && !sb.isEmpty()) {
            sb.setLength(rnd.nextInt(sb.length()));
        } else if (op == 2) {
            sb.insert(rnd.nextInt(sb.length() + 1), (char) (48 + rnd.nextInt(64)));
        } else if (!sb.isEmpty()) {
            sb.deleteCharAt(rnd.nextInt(sb.length()));
        }
        checkFuzzed(sb.toString(), b.h(), b.w());
        // both outcomes must actually occur, or the property would test nothing
        Statistics.coverage(c -> {
            c.check("valid").count(n -> n > 0);
            c.check("malformed").count(n -> n > 0);
        });
    }

    private static void checkFuzzed(String s, int h, int w) {
        Rle r;
        try {
            r = Rle.fromString(s, h, w);
        } catch (MalformedRleException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            Statistics.collect("malformed");
            return;
        }
        Statistics.collect("valid");
        assertValid(r);
        assertEquals(r, Rle.fromString(r.toCompressedString(), h, w));
        assertEquals(r.area(), RleVectorsTest.popcount(r.decode()));
    }
}
