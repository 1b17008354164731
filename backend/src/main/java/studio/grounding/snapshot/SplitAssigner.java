package studio.grounding.snapshot;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import studio.grounding.dataset.Split;

/**
 * The split of an image that has none set explicitly, from its content alone: the first 8 bytes of
 * SHA-256(image content hash as hex text), read as an unsigned number, modulo 100 give a bucket; buckets below
 * {@code testPercent} are test, the next {@code valPercent} val, the rest train. Identical image content always lands
 * in the same split, so a duplicate image cannot leak from train into test.
 */
@Component
class SplitAssigner {

    private final int testPercent;
    private final int valPercent;

    SplitAssigner(@Value("${studio.snapshot.test-percent:10}") int testPercent,
                  @Value("${studio.snapshot.val-percent:10}") int valPercent) {
        if (testPercent < 0 || valPercent < 0 || testPercent + valPercent > 100) {
            throw new IllegalArgumentException("studio.snapshot.test-percent (" + testPercent + ") and "
                    + "studio.snapshot.val-percent (" + valPercent + ") must be 0 or more and add up to at most 100");
        }
        this.testPercent = testPercent;
        this.valPercent = valPercent;
    }

    Split splitOf(String imageContentHash) {
        int bucket = bucket(imageContentHash);
        if (bucket < testPercent) {
            return Split.TEST;
        }
        return bucket < testPercent + valPercent ? Split.VAL : Split.TRAIN;
    }

    static int bucket(String imageContentHash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(imageContentHash.getBytes(StandardCharsets.US_ASCII));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(digest, 0, 8).getLong(), 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
