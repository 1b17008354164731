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

    /**
     * The hot decoder: a byte per character, one short path for single-character values (two thirds of them), a
     * tight loop for longer ones, and validation accumulated in flags that are checked once at the end instead of
     * three branches per value. Measured against a branch-free variant (value boundaries from a 64-bit mask of the
     * continuation bits, one to three characters decoded without a data-dependent branch): that one does roughly
     * twice the operations per value and took 85 % longer (docs/benchmarks.md); these branches are well predicted.
     *
     * @return the number of values written to {@code out}, or -1 if the string is not valid or has a value of 7 or
     *         more characters (left to the checked decoder)
     */
    static int decodeFast(byte[] b, int[] out, int area) {
        int len = b.length;
        int m = 0;
        int p = 0;
        int bad = 0; // bits above 63: a character outside 48..111 (or a negative run, bit 6 set below)
        long sum = 0;
        while (p < len) {
            int c = b[p++] - 48;
            bad |= c;
            int x;
            if ((c & 0x20) == 0) {
                x = (c << 27) >> 27; // one group: sign-extend its 5 bits
            } else {
                x = c & 31;
                int shift = 5;
                do {
                    if (p >= len || shift > 25) {
                        return -1; // truncated, or beyond 30 bits: the checked decoder says which
                    }
                    c = b[p++] - 48;
                    bad |= c;
                    x |= (c & 31) << shift;
                    shift += 5;
                } while ((c & 0x20) != 0);
                x = (x << (32 - shift)) >> (32 - shift);
            }
            if (m > 2) {
                x += out[m - 2]; // both in [0, 2^31): a wrapped sum is negative and flagged
            }
            bad |= (x >> 31) << 6;
            sum += x;
            out[m++] = x;
        }
        // every run >= 0, so a run above area (or a running sum above it) shows in the total
        if ((bad & ~63) != 0 || sum != area) {
            return -1;
        }
        return m;
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
