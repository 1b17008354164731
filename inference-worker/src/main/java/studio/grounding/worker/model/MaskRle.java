package studio.grounding.worker.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * COCO RLE encoding (pycocotools {@code rleEncode} + {@code rleToString}) of a binary mask given column-major.
 *
 * <p>The worker keeps its own encoder rather than depending on the backend artifact: encoding is the only piece it
 * needs, and the backend jar would bring the web/JPA platform onto the worker's classpath. The string format is
 * pinned by the same pycocotools vectors the backend's {@code Rle} is tested against.
 */
public final class MaskRle {

    private MaskRle() {}

    /** Run lengths, background first (the first may be 0), summing to {@code mask.length}. */
    public static int[] counts(byte[] columnMajor) {
        int[] runs = new int[Math.max(1, columnMajor.length + 1)];
        int n = 0;
        int run = 0;
        byte cur = 0;
        for (byte b : columnMajor) {
            byte v = (byte) (b != 0 ? 1 : 0);
            if (v != cur) {
                runs[n++] = run;
                run = 0;
                cur = v;
            }
            run++;
        }
        runs[n++] = run;
        return java.util.Arrays.copyOf(runs, n);
    }

    /** The compressed counts string of pycocotools. */
    public static String toCompressedString(int[] cnts) {
        StringBuilder s = new StringBuilder(cnts.length * 2);
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

    public static String encode(byte[] columnMajor) {
        return toCompressedString(counts(columnMajor));
    }

    public static long area(int[] cnts) {
        long a = 0;
        for (int i = 1; i < cnts.length; i += 2) {
            a += cnts[i];
        }
        return a;
    }

    /**
     * Decodes a compressed COCO RLE string (pycocotools {@code rleFrString}) into a column-major binary mask of
     * {@code pixels} pixels; a string that is malformed or does not cover exactly that many pixels is refused.
     */
    public static byte[] decode(String counts, long pixels) {
        List<Long> cnts = new ArrayList<>();
        int p = 0;
        while (p < counts.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= counts.length()) {
                    throw new IllegalArgumentException("RLE counts end inside a number at character " + p);
                }
                int c = counts.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("RLE counts: character " + p + " ('" + counts.charAt(p)
                            + "') is not in the COCO alphabet");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
                if (k > 12) {
                    throw new IllegalArgumentException("RLE counts: number too long at character " + p);
                }
            }
            if (cnts.size() > 2) {
                x += cnts.get(cnts.size() - 2);
            }
            if (x < 0) {
                throw new IllegalArgumentException("RLE counts: negative run " + x + " (run " + cnts.size() + ")");
            }
            cnts.add(x);
        }
        long total = 0;
        for (long c : cnts) {
            total += c;
        }
        if (total != pixels) {
            throw new IllegalArgumentException("RLE counts cover " + total + " pixels, the mask has " + pixels);
        }
        byte[] out = new byte[(int) pixels];
        int at = 0;
        for (int i = 0; i < cnts.size(); i++) {
            int n = (int) (long) cnts.get(i);
            if (i % 2 == 1) {
                Arrays.fill(out, at, at + n, (byte) 1);
            }
            at += n;
        }
        return out;
    }
}
