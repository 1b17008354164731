package studio.grounding.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Recall's text similarity for stored evaluations. With {@code studio.evaluation.bert-model-dir} set: the cosine of
 * {@link BertSentenceEncoder} embeddings (DJL PyTorch, offline; official only for bert-base-uncased). Otherwise a
 * named fallback, {@code studio.evaluation.fallback-similarity} = {@code exact-match} (default) or
 * {@code token-jaccard}. Every evaluation records which one and whether it is official.
 */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

    @Bean
    TextSimilarity recallSimilarity(@Value("${studio.evaluation.fallback-similarity:exact-match}") String fallback,
                                    @Value("${studio.evaluation.bert-model-dir:}") String bertModelDir) {
        if (!bertModelDir.isBlank()) {
            Path dir = Path.of(bertModelDir.strip());
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("studio.evaluation.bert-model-dir: no directory " + dir);
            }
            try {
                return new CosineEmbeddingSimilarity(new BertSentenceEncoder(dir));
            } catch (NoClassDefFoundError e) {
                throw new IllegalStateException("studio.evaluation.bert-model-dir is set, but DJL (ai.djl:api, "
                        + "pytorch-engine, pytorch-jni, pytorch-native-cpu, huggingface tokenizers) is not on the "
                        + "classpath; the platform jar does not carry it (see docs/evaluation.md)", e);
            }
        }
        return switch (fallback.strip()) {
            case "exact-match" -> new ExactMatchSimilarity();
            case "token-jaccard" -> new TokenJaccardSimilarity();
            default -> throw new IllegalStateException("studio.evaluation.fallback-similarity: unknown similarity \""
                    + fallback + "\" (exact-match or token-jaccard)");
        };
    }
}
