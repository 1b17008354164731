package studio.grounding.mask;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The fast counts-string decoder ({@link RleStrings#decode}: word-at-a-time boundary mask, branch-free one- and
 * two-character values) against the per-character checked decoder ({@link RleStrings#decodeChecked}): for every
 * string, valid or not, the same counts or the same error. Strings are long enough to cross the 64-character
 * blocks of the fast path and have values of every length from 1 to 13 characters.
 */
class RleStringDecoderTest {

    /** Counts summing to their own total, with run lengths from 0 up to 2^31 (values of 1..7 characters). */
    @Provide
    Arbitrary<int[]> counts() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 40);
        Arbitrary<Integer> medium = Arbitraries.integers().between(0, 3000);
        Arbitrary<Integer> large = Arbitraries.integers().between(0, 5_000_000);
        Arbitrary<Integer> run = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, small), net.jqwik.api.Tuple.of(4, medium), net.jqwik.api.Tuple.of(1, large));
        return run.array(int[].class).ofMaxSize(400);
    }

    @Property(tries = 1500)
    void validStringsDecodeToTheirCounts(@ForAll("counts") int[] cnts) {
        long sum = 0;
        for (int c : cnts) {
            sum += c;
        }
        if (sum > Rle.MAX_PIXELS) {
            return;
        }
        String s = RleStrings.encode(cnts, cnts.length);
        assertArrayEquals(cnts, RleStrings.decode(s, (int) sum));
        assertSameOutcome(s, (int) sum);
    }

    @Property(tries = 3000)
    void mutatedStringsGiveTheCheckedDecodersResult(@ForAll("counts") int[] cnts, @ForAll Random rnd,
            @ForAll @IntRange(min = 1, max = 4) int mutations) {
        long sum = 0;
        for (int c : cnts) {
            sum += c;
        }
        if (sum > Rle.MAX_PIXELS) {
            return;
        }
        StringBuilder sb = new StringBuilder(RleStrings.encode(cnts, cnts.length));
        for (int k = 0; k < mutations; k++) {
            int op = rnd.nextInt(5);
            if (op == 0 && !sb.isEmpty()) { // any character: outside the alphabet, Latin-1 high half, UTF-16
                char[] pool = {'/', 'p', '\u007f', '\u0080', '\u00b0', '\u00ff', '\u0130', '\u3030', '\uffff', ' '};
                sb.setCharAt(rnd.nextInt(sb.length()), pool[rnd.nextInt(pool.length)]);
            } else if (op == 1 && !sb.isEmpty()) {
                sb.setCharAt(rnd.nextInt(sb.length()), (char) (48 + rnd.nextInt(64)));
            } else if (op == 2 && !sb.isEmpty()) {
                sb.setLength(rnd.nextInt(sb.length()));
            } else if (op == 3) {
                int at = rnd.nextInt(sb.length() + 1);
                for (int i = rnd.nextInt(14); i >= 0; i--) { // runs of continuation characters: long values
                    sb.insert(at, (char) ('P' + rnd.nextInt(32)));
                }
            } else if (!sb.isEmpty()) {
                sb.deleteCharAt(rnd.nextInt(sb.length()));
            }
        }
        String outcome = assertSameOutcome(sb.toString(), (int) sum);
        Statistics.collect(outcome);
        Statistics.coverage(c -> {
            c.check("valid").count(n -> n > 0);
            c.check("malformed").count(n -> n > 0);
        });
    }

    @Test
    void everyValueLengthAndBlockBoundary() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rnd.nextInt(300);
            int[] cnts = new int[n];
            long sum = 0;
            for (int i = 0; i < n; i++) {
                int bits = rnd.nextInt(31);
                cnts[i] = rnd.nextInt(1 << bits) & 0x0fffffff;
                sum += cnts[i];
            }
            if (sum > Rle.MAX_PIXELS) {
                continue;
            }
            assertArrayEquals(cnts, RleStrings.decode(RleStrings.encode(cnts, n), (int) sum));
        }
    }

    @Test
    void nonLatin1CharacterThatTruncatesToAValidOneIsRejected() {
        // U+0130 truncated to its low byte would be '0', a valid character
        String s = RleStrings.encode(new int[] {0, 4}, 2).replace('0', '\u0130');
        MalformedRleException e = assertThrows(MalformedRleException.class, () -> RleStrings.decode(s, 4));
        assertEquals(true, e.getMessage().contains("U+0130"), e.getMessage());
    }

    /** Runs both decoders; returns "valid" or "malformed". */
    private static String assertSameOutcome(String s, int area) {
        int[] expected;
        try {
            expected = RleStrings.decodeChecked(s, area);
        } catch (MalformedRleException e) {
            MalformedRleException actual = assertThrows(MalformedRleException.class, () -> RleStrings.decode(s, area));
            assertEquals(e.getMessage(), actual.getMessage());
            return "malformed";
        }
        assertArrayEquals(expected, RleStrings.decode(s, area), s);
        return "valid";
    }
}
