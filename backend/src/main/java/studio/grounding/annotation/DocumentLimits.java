package studio.grounding.annotation;

/**
 * How much one editor document may hold: at most {@code maxPhrases} phrases and {@code maxMasks} masks (the
 * phrases' masks and the unlinked ones together). Settings {@code studio.editing.max-phrases} and
 * {@code studio.editing.max-masks}; a document over either is refused with 400 naming the field, before it is
 * read into memory.
 */
public record DocumentLimits(int maxPhrases, int maxMasks) {

    /** The defaults (also of the settings): 500 phrases, 2,000 masks (GLaMM's captions have a handful of each). */
    public static final DocumentLimits DEFAULT = new DocumentLimits(500, 2000);

    public DocumentLimits {
        if (maxPhrases < 1 || maxMasks < 1) {
            throw new IllegalArgumentException("studio.editing.max-phrases and studio.editing.max-masks must be at least 1");
        }
    }
}
