package studio.grounding.worker.model;

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
}
