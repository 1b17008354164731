package studio.grounding.mask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Column-major bitmap to runs ({@code rleEncode}) and back ({@code rleDecode}).
 *
 * <p>Encoding scans eight pixels at a time through a little-endian {@code long} view of the byte array and
 * only looks at single bytes where a run ends, so uniform stretches cost one load and compare per 8 pixels.
 */
final class BitmapCodec {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private BitmapCodec() {
    }

    /** Runs of a bitmap of {@code n} pixels, background first; nonzero bytes are foreground. */
    static int[] encode(byte[] bitmap, int n) {
        int[] cnts = ScratchBuffers.ints(64); // never returned: the result is an exact copy
        int m = 0;
        int pos = 0;
        int runStart = 0;
        boolean fg = false;
        int last8 = n - 8;
        while (true) {
            // find the first index >= pos whose class differs from fg
            int end;
            if (!fg) {
                end = nextNonZero(bitmap, pos, n, last8);
            } else {
                end = nextZero(bitmap, pos, n, last8);
            }
            if (m + 1 >= cnts.length) {
                cnts = Arrays.copyOf(cnts, cnts.length * 2);
            }
            cnts[m++] = end - runStart;
            if (end >= n) {
                break;
            }
            runStart = end;
            pos = end + 1;
            fg = !fg;
        }
        return Arrays.copyOf(cnts, m);
    }

    private static int nextNonZero(byte[] b, int pos, int n, int last8) {
        while (pos <= last8) {
            long v = (long) LONGS.get(b, pos);
            if (v != 0) {
                return pos + (Long.numberOfTrailingZeros(v) >>> 3);
            }
            pos += 8;
        }
        while (pos < n && b[pos] == 0) {
            pos++;
        }
        return pos;
    }

    private static int nextZero(byte[] b, int pos, int n, int last8) {
        while (pos <= last8) {
            long v = (long) LONGS.get(b, pos);
            // classic "has zero byte": the lowest flagged byte is exactly the first zero byte
            long z = (v - LOW_BITS) & ~v & HIGH_BITS;
            if (z != 0) {
                return pos + (Long.numberOfTrailingZeros(z) >>> 3);
            }
            pos += 8;
        }
        while (pos < n && b[pos] != 0) {
            pos++;
        }
        return pos;
    }

    /** Writes the runs as 0/1 bytes into {@code out[0..sum)}. */
    static void decodeInto(int[] cnts, byte[] out) {
        int p = 0;
        int m = cnts.length;
        for (int i = 0; i < m; i++) {
            int c = cnts[i];
            Arrays.fill(out, p, p + c, (byte) (i & 1));
            p += c;
        }
    }
}
