package studio.grounding.evaluation;

import java.util.Objects;

/**
 * Cosine similarity of two {@link SentenceEncoder} embeddings, as sklearn's {@code cosine_similarity} computes it
 * (a zero vector gives 0). Official exactly when its encoder is GLaMM's.
 */
public final class CosineEmbeddingSimilarity implements TextSimilarity {

    private final SentenceEncoder encoder;

    public CosineEmbeddingSimilarity(SentenceEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public double similarity(String groundTruthLabel, String predictedPhrase) {
        float[] a = encoder.embed(groundTruthLabel);
        float[] b = encoder.embed(predictedPhrase);
        if (a.length != b.length) {
            throw new IllegalStateException("embeddings of different lengths " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return 0.0;
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    @Override
    public String name() {
        return "cosine:" + encoder.name();
    }

    @Override
    public boolean official() {
        return encoder.officialGlammEncoder();
    }
}
