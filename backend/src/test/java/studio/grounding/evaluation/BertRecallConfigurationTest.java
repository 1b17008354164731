package studio.grounding.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import studio.grounding.StudioIntegrationTest;

/** With {@code studio.evaluation.bert-model-dir} set, recall uses the DJL BERT encoder, and says it is not official. */
@StudioIntegrationTest
@TestPropertySource(properties = "studio.evaluation.bert-model-dir=src/test/resources/tiny-bert")
class BertRecallConfigurationTest {

    @Autowired
    TextSimilarity similarity;
    @Autowired
    EvaluationService evaluations;

    @Test
    void recallUsesTheConfiguredEncoderAndLabelsItNotOfficial() {
        assertThat(similarity).isInstanceOf(CosineEmbeddingSimilarity.class);
        assertThat(similarity.name()).isEqualTo("cosine:bert-dir:tiny-bert/mean-last-hidden");
        assertThat(evaluations.recallLabel())
                .isEqualTo("fallback: cosine:bert-dir:tiny-bert/mean-last-hidden, not the official number");
    }
}
