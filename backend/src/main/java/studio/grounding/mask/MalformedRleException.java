package studio.grounding.mask;

import java.io.Serial;

/**
 * Thrown when input that should describe a COCO RLE mask does not: a {@code counts} string with a character
 * outside the alphabet {@code 48..111} or a truncated value, counts that are negative or do not sum to
 * {@code height * width}, masks of different sizes combined in one operation, negative or oversized dimensions,
 * or values that overflow.
 *
 * <p>The message always says what is wrong and where (character position, run index, expected and actual sum, ...),
 * so that it can be shown to whoever supplied the data. The library never returns a wrong mask instead of throwing.
 */
public class MalformedRleException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and where
     */
    public MalformedRleException(String message) {
        super(message);
    }
}
