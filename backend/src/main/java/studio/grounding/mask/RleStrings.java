package studio.grounding.mask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The COCO compressed {@code counts} string codec ({@code rleToString} / {@code rleFrString} of pycocotools).
 *
 * <p>Values at index {@code i > 2} are stored as {@code cnts[i] - cnts[i-2]} (index 2 is not delta coded).
 * Each value is written as 5-bit groups, lowest first, {@code 0x20} marks a continuation, {@code 0x10} of the last
 * group is the sign, and 48 is added to each group.
 *
 * <p>This class works on raw count lists that need not describe a valid mask; validation against a mask size is
 * done by {@link Rle}.
 */
final class RleStrings {

    /** A 32-bit value needs at most 7 groups; more than 12 would overflow the 64-bit accumulator. */
    private static final int MAX_GROUPS = 12;

    private RleStrings() {
    }

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    /**
     * rleToString: counts to the compressed string. Never fails (counts are any ints). Values of one or two
     * characters (almost all) are written as one little-endian 16-bit store whose second byte is overwritten by the
     * next value when only one character is needed, so the common path has no data-dependent branch.
     */
    static String encode(int[] cnts, int m) {
        byte[] s = ScratchBuffers.bytes(m * 7 + 1);
        int p = 0;
        for (int i = 0; i < m; i++) {
            long x = cnts[i];
            if (i > 2) {
                x -= cnts[i - 2];
            }
            // groups needed: significant bits including the sign bit, 5 per group
            int bits = 65 - Long.numberOfLeadingZeros(x ^ (x >> 63));
            if (bits <= 10) {
                int two = bits > 5 ? 1 : 0;
                int c0 = (int) (x & 0x1f) + 48 + (two << 5);
                int c1 = (int) ((x >> 5) & 0x1f) + 48;
                SHORTS.set(s, p, (short) (c0 | c1 << 8));
                p += 1 + two;
            } else {
                int groups = (bits + 4) / 5;
                for (int g = 1; g < groups; g++) {
                    s[p++] = (byte) ((int) (x & 0x1f) + (0x20 + 48));
                    x >>= 5;
                }
                s[p++] = (byte) ((int) (x & 0x1f) + 48);
            }
        }
        return new String(s, 0, p, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * rleFrString without a mask size: the string to counts as 64-bit values, exactly as written (deltas resolved).
     * Rejects characters outside {@code 48..111}, truncated values and values that do not fit in 64 bits.
     */
    static long[] decodeRaw(String s) {
        int len = s.length();
        long[] out = new long[len];
        int m = 0;
        int p = 0;
        while (p < len) {
            int start = p;
            long x = 0;
            int k = 0;
            int c;
            do {
                if (p >= len) {
                    throw new MalformedRleException("counts string truncated: value " + m + " starting at character "
                            + start + " ends with a continuation character (string length " + len + ")");
                }
                if (k == MAX_GROUPS) {
                    throw new MalformedRleException("counts value " + m + " starting at character " + start
                            + " has more than " + MAX_GROUPS + " characters (overflow)");
                }
                c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new MalformedRleException("invalid character " + describe(s.charAt(p)) + " at position " + p
                            + " of counts string (allowed: ASCII 48..111, '0'..'o')");
                }
                x |= (long) (c & 0x1f) << (5 * k);
                p++;
                k++;
            } while ((c & 0x20) != 0);
            if ((c & 0x10) != 0) {
                x |= -1L << (5 * k);
            }
            if (m > 2) {
                x = Math.addExact(x, out[m - 2]);
            }
            out[m++] = x;
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * rleFrString for a mask of {@code area = h*w} pixels: decodes and validates (each run in {@code [0, area]},
     * final sum equal to {@code area}). A valid string takes {@link #decodeFast}; anything it does not accept is
     * decoded again by {@link #decodeChecked}, which throws the precise error (or, for the rare valid string the fast
     * path leaves to it, returns the same counts).
     */
    static int[] decode(String s, int area) {
        // pure ASCII (every valid string) is a plain copy; any other character becomes bytes >= 0x80, rejected below
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] out = ScratchBuffers.ints(b.length + 1); // at most one value per character; never returned
        int m = decodeFast(b, out, area);
        if (m < 0) {
            return decodeChecked(s, area);
        }
        return Arrays.copyOf(out, m);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long BYTES_0X30 = 0x3030303030303030L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    /** Gathers the lowest bit of each byte into the top byte (byte j to bit 56 + j). */
    private static final long GATHER = 0x0102040810204080L;

    /**
     * The hot decoder: the value boundaries come from a bit mask of the characters without a continuation bit
     * ({@code c < 'P'}), built eight characters per 64-bit word, so finding the next value is a trailing-zero count
     * instead of a chain of loads and branches on the data. Values of one or two characters (nearly all) are
     * decoded without a data-dependent branch. Validation is accumulated and checked once at the end.
     *
     * @return the number of values written to {@code out}, or -1 if the string is not valid (or a case left to
     *         the checked decoder)
     */
    static int decodeFast(byte[] b, int[] out, int area) {
        int len = b.length;
        int m = 0;
        int start = 0; // first character of the value being read
        int badChars = 0; // OR of (char - 48) over the characters read: valid ones are in 0..63
        int badRuns = 0; // OR of the runs: negative if one is
        long sum = 0;
        for (int base = 0; base < len; base += 64) {
            long bits = terminalBits(b, base, len);
            while (bits != 0) {
                int end = base + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int k = end - start; // 0: one character, 1: two
                int c0 = b[start] - 48;
                int cl = b[end] - 48;
                long x;
                if (k > 1 || m < 3) {
                    x = decodeValue(b, start, end);
                    if (x == Long.MIN_VALUE) {
                        return -1;
                    }
                    if (m > 2) {
                        x += out[m - 2];
                    }
                    if (x < 0 || x > area) {
                        return -1;
                    }
                } else {
                    badChars |= c0 | cl;
                    int bitsIn = (c0 & 31) | (cl & 31) << (5 * k);
                    int sh = 27 - 5 * k;
                    x = ((bitsIn << sh) >> sh) + out[m - 2];
                }
                int run = (int) x;
                badRuns |= run;
                sum += run;
                out[m++] = run;
                start = end + 1;
            }
        }
        if (start != len || (badChars & ~63) != 0 || badRuns < 0 || sum != area) {
            return -1;
        }
        return m;
    }

    /** Bit i set where character {@code base + i} has no continuation bit (for valid characters). */
    private static long terminalBits(byte[] b, int base, int len) {
        if (base + 64 <= len) {
            long bits = 0;
            for (int g = 0; g < 8; g++) {
                long w = (long) LONGS.get(b, base + 8 * g);
                long term = ~(w + BYTES_0X30) & HIGH_BITS; // c + 0x30 >= 0x80 exactly when c >= 'P' (0x50)
                bits |= ((term >>> 7) * GATHER >>> 56) << (8 * g);
            }
            return bits;
        }
        long bits = 0;
        for (int i = base; i < len; i++) {
            if (b[i] < 'P') {
                bits |= 1L << (i - base);
            }
        }
        return bits;
    }

    /** Characters {@code start..end} as one value (no delta), or {@code Long.MIN_VALUE} if not a valid one. */
    private static long decodeValue(byte[] b, int start, int end) {
        if (end - start >= MAX_GROUPS) {
            return Long.MIN_VALUE;
        }
        long x = 0;
        int shift = 0;
        int c = 0;
        for (int p = start; p <= end; p++) {
            c = b[p] - 48;
            if ((c & ~63) != 0 || ((c & 0x20) != 0) == (p == end)) {
                return Long.MIN_VALUE;
            }
            x |= (long) (c & 0x1f) << shift;
            shift += 5;
        }
        if ((c & 0x10) != 0) {
            x |= -1L << shift;
        }
        return x;
    }

    /**
     * rleFrString with full checks per character and run, and the precise error: the reference for
     * {@link #decode} (which falls back to it) and its property tests.
     */
    static int[] decodeChecked(String s, int area) {
        int len = s.length();
        int[] out = ScratchBuffers.ints(len + 1); // at most one value per character; never returned
        int v = 0;
        int p = 0;
        long sum = 0;
        while (p < len) {
            int start = p;
            int c = s.charAt(p++) - 48;
            long x;
            if ((c & ~31) == 0) {
                x = (c ^ 0x10) - 0x10; // one group: sign-extend its 5 bits
            } else {
                if ((c & ~63) != 0) {
                    throw invalidCharacter(s, p - 1);
                }
                x = c & 0x1f;
                int shift = 5;
                while ((c & 0x20) != 0) {
                    if (p >= len) {
                        throw new MalformedRleException("counts string truncated: run " + v
                                + " starting at character " + start
                                + " ends with a continuation character (string length " + len + ")");
                    }
                    if (shift == 5 * MAX_GROUPS) {
                        throw new MalformedRleException("counts run " + v + " starting at character " + start
                                + " has more than " + MAX_GROUPS + " characters (overflow)");
                    }
                    c = s.charAt(p++) - 48;
                    if ((c & ~63) != 0) {
                        throw invalidCharacter(s, p - 1);
                    }
                    x |= (long) (c & 0x1f) << shift;
                    shift += 5;
                }
                if ((c & 0x10) != 0) {
                    x |= -1L << shift;
                }
            }
            if (v > 2) {
                x += out[v - 2];
            }
            if (x < 0 || x > area) {
                throw new MalformedRleException("run " + v + " (ending at character " + (p - 1) + ") decodes to " + x
                        + ", outside [0, " + area + "] for an image of " + area + " pixels");
            }
            sum += x;
            if (sum > area) {
                throw new MalformedRleException("runs sum to more than height*width = " + area + " at run " + v
                        + " (character " + (p - 1) + "): running sum " + sum);
            }
            out[v++] = (int) x;
        }
        if (sum != area) {
            throw new MalformedRleException("runs sum to " + sum + " but height*width = " + area + " (" + v
                    + " runs in a counts string of length " + len + ")");
        }
        return Arrays.copyOf(out, v);
    }

    private static MalformedRleException invalidCharacter(String s, int p) {
        return new MalformedRleException("invalid character " + describe(s.charAt(p)) + " at position " + p
                + " of counts string (allowed: ASCII 48..111, '0'..'o')");
    }

    private static String describe(char ch) {
        if (ch >= 32 && ch < 127) {
            return "'" + ch + "' (code " + (int) ch + ")";
        }
        return "U+" + String.format("%04X", (int) ch);
    }
}
