package studio.grounding.evaluation;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Recall's text similarity for stored evaluations. GLaMM's bert-base-uncased cosine is not available, so a named
 * fallback is used: {@code studio.evaluation.fallback-similarity} = {@code exact-match} (default) or
 * {@code token-jaccard}. Every evaluation records which one and says it is not the official number.
 */
@Configuration(proxyBeanMethods = false)
class EvaluationConfiguration {

    @Bean
    TextSimilarity recallSimilarity(@Value("${studio.evaluation.fallback-similarity:exact-match}") String fallback) {
        return switch (fallback.strip()) {
            case "exact-match" -> new ExactMatchSimilarity();
            case "token-jaccard" -> new TokenJaccardSimilarity();
            default -> throw new IllegalStateException("studio.evaluation.fallback-similarity: unknown similarity \""
                    + fallback + "\" (exact-match or token-jaccard)");
        };
    }
}
