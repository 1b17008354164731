package studio.grounding.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each kind of malformed input raises a {@link MalformedRleException} whose message says what and where. */
class RleMalformedInputTest {

    private static void assertMalformed(Executable call, String... fragments) {
        MalformedRleException e = assertThrows(MalformedRleException.class, call);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
    }

    @Test
    void characterBelowAlphabet() {
        assertMalformed(() -> Rle.fromString("0 1", 1, 1), "invalid character", "' '", "position 1");
        assertMalformed(() -> Rle.fromString("/", 1, 1), "'/'", "position 0");
    }

    @Test
    void characterAboveAlphabet() {
        assertMalformed(() -> Rle.fromString("01p", 1, 1), "'p'", "position 2");
        assertMalformed(() -> Rle.fromString("0~", 1, 1), "'~'", "position 1");
    }

    @Test
    void nonAsciiCharacter() {
        // 'é' would become '?' (63, inside the alphabet) if the string were converted to bytes first
        assertMalformed(() -> Rle.fromString("0é", 1, 1), "U+00E9", "position 1");
        assertMalformed(() -> Rle.fromString("0\u0130", 1, 1), "U+0130", "position 1");
    }

    @Test
    void truncatedContinuation() {
        // 'P' = 48 + 0x20: a continuation character with nothing after it
        assertMalformed(() -> Rle.fromString("5P", 5, 1), "truncated", "run 1", "character 1");
    }

    @Test
    void overflowingValue() {
        assertMalformed(() -> Rle.fromString("o".repeat(13) + "0", 10, 10), "overflow", "run 0");
        // 7 groups decode fine but the value exceeds h*w
        assertMalformed(() -> Rle.fromString("ooooooo1", 10, 10), "outside [0, 100]", "run 0");
    }

    @Test
    void countsNotSummingToArea() {
        assertMalformed(() -> Rle.fromString("1", 2, 1), "runs sum to 1", "height*width = 2");
        assertMalformed(() -> Rle.fromString("5", 2, 2), "outside [0, 4]", "run 0");
        assertMalformed(() -> Rle.fromString("", 2, 2), "runs sum to 0", "height*width = 4");
        assertMalformed(() -> Rle.fromString("22", 3, 1), "more than height*width = 3", "run 1");
        assertMalformed(() -> Rle.fromCounts(3, 3, new int[] {4, 4}), "runs sum to 8", "3*3 = 9");
    }

    @Test
    void negativeRunFromDelta() {
        // counts 5,3,2 then delta -10 for index 3: 3 - 10 = -7
        String s = RleStrings.encode(new int[] {5, 3, 2, -7}, 4);
        assertMalformed(() -> Rle.fromString(s, 20, 1), "run 3", "decodes to -7");
    }

    @Test
    void negativeCount() {
        assertMalformed(() -> Rle.fromCounts(2, 2, new int[] {5, -1}), "negative run -1", "run index 1");
    }

    @Test
    void negativeOrOversizedDimensions() {
        assertMalformed(() -> Rle.fromString("0", -1, 5), "negative mask size -1x5");
        assertMalformed(() -> Rle.fromCounts(3, -2, new int[0]), "negative mask size 3x-2");
        assertMalformed(() -> Rle.encode(new byte[0], 100_000, 100_000), "10000000000", "exceeds");
        assertMalformed(() -> Rle.fromPolygon(new double[6], 65536, 65536), "exceeds");
    }

    @Test
    void bitmapTooShort() {
        assertMalformed(() -> Rle.encode(new byte[5], 2, 3), "5 bytes", "needs 6");
    }

    @Test
    void iouOfDifferentSizes() {
        Rle a = Rle.fromCounts(2, 2, new int[] {0, 4});
        Rle b = Rle.fromCounts(4, 1, new int[] {0, 4});
        assertMalformed(() -> Rle.iou(a, b, false), "2x2", "4x1");
        assertMalformed(() -> Rle.iou(List.of(a, a), List.of(a, b), null), "dt[0]", "gt[1]", "4x1");
    }

    @Test
    void mergeOfDifferentSizes() {
        Rle a = Rle.fromCounts(2, 2, new int[] {4});
        Rle b = Rle.fromCounts(2, 3, new int[] {6});
        assertMalformed(() -> Rle.union(List.of(a, a, b)), "mask 2 is 2x3", "mask 0 is 2x2");
        assertMalformed(() -> Rle.intersection(List.of(a, b)), "mask 1 is 2x3");
    }

    @Test
    void otherBadArgumentsAreIllegalArgumentsNotMalformedMasks() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rle.union(List.of()));
        assertEquals(IllegalArgumentException.class, e.getClass());
        assertThrows(IllegalArgumentException.class, () -> Rle.fromPolygon(new double[] {1, 2, 3}, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> Rle.fromPolygon(new double[] {1, Double.NaN, 3, 4, 5, 6}, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> Rle.fromBbox(new double[] {1, 2, 3}, 5, 5));
        Rle a = Rle.fromCounts(2, 2, new int[] {4});
        assertThrows(IllegalArgumentException.class, () -> a.decodeInto(new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> Rle.iou(List.of(a), List.of(a), new boolean[2]));
    }

    @Test
    void countsAreDefensivelyCopied() {
        int[] c = {1, 2, 1};
        Rle r = Rle.fromCounts(2, 2, c);
        c[0] = 99;
        r.counts()[1] = 99;
        assertArrayEquals(new int[] {1, 2, 1}, r.counts());
    }

    @Test
    void zeroPixelMasks() {
        Rle e = Rle.encode(new byte[0], 0, 7);
        assertArrayEquals(new int[] {0}, e.counts());
        assertEquals("0", e.toCompressedString());
        assertArrayEquals(new double[4], e.bbox());
        assertEquals(0, Rle.fromString("", 0, 7).runCount());
        assertEquals(0.0, Rle.iou(e, e, false));
        assertEquals(e, Rle.union(List.of(e, e)));
    }

    @Test
    void emptyPolygonListGivesEmptyMask() {
        Rle r = Rle.fromPolygons(List.of(), 3, 4);
        assertArrayEquals(new int[] {12}, r.counts());
    }

    @Test
    void twoEmptyMasksHaveIouZeroLikePycocotools() {
        Rle e = Rle.fromCounts(3, 3, new int[] {9});
        assertEquals(0.0, Rle.iou(e, e, false));
        assertEquals(0.0, Rle.iou(e, e, true));
    }
}
