package studio.grounding.evaluation;

/**
 * Similarity of a ground-truth label and a predicted phrase, used by mask recall (threshold 0.5).
 *
 * <p>GLaMM's script uses the cosine of mean-pooled last hidden states of {@code bert-base-uncased}. Without a local copy
 * of that model the platform uses named fallbacks whose {@link #official()} is false; a BERT plugs in as a
 * {@link SentenceEncoder} behind {@link CosineEmbeddingSimilarity}.
 */
public interface TextSimilarity {

    /** Similarity of a ground-truth label and a predicted phrase; the recall threshold is 0.5. */
    double similarity(String groundTruthLabel, String predictedPhrase);

    /** A stable name that reports carry, e.g. {@code exact-match}. */
    String name();

    /** True only for the similarity GLaMM's script uses; a recall computed with anything else is not official. */
    boolean official();
}
