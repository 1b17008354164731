package studio.grounding.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import studio.grounding.mask.Rle;

/**
 * The DJL BERT encoder on a tiny random-weight BERT-shaped TorchScript model with a WordPiece tokenizer
 * ({@code src/test/fixtures/tiny_bert.py}, run with Debian's python3-torch 1.13; DJL runs PyTorch 2.7 offline).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BertSentenceEncoderTest {

    static final Path TINY = Path.of("src/test/resources/tiny-bert");

    BertSentenceEncoder encoder;

    @BeforeAll
    void load() {
        encoder = new BertSentenceEncoder(TINY);
    }

    @AfterAll
    void close() {
        encoder.close();
    }

    @Test
    void embedsAsTheMeanOfTheLastHiddenStateOverAllTokensIncludingClsAndSep() {
        // tiny_bert.py printed this for "A dog." = [CLS] a dog . [SEP] (ids 2 4 5 20 3) with torch 1.13
        float[] expected = {0.6920462846755981f, 0.06248283386230469f, 0.7245370745658875f, -0.8134346008300781f,
            -0.17300567030906677f, -0.1218128427863121f, 0.23175036907196045f, -0.6025635004043579f};
        float[] actual = encoder.embed("A dog.");
        assertThat(actual).hasSize(8);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("dimension %d", i).isCloseTo(expected[i], within(1e-5f));
        }
        // lower-cased by BERT's normaliser: same tokens, same embedding
        assertThat(encoder.embed("a DOG.")).containsExactly(actual);
    }

    @Test
    void isNotOfficialUnlessTheDirectoryIsBertBaseUncased() throws IOException {
        assertThat(encoder.officialGlammEncoder()).isFalse();
        assertThat(encoder.name()).isEqualTo("bert-dir:tiny-bert/mean-last-hidden");
        CosineEmbeddingSimilarity similarity = new CosineEmbeddingSimilarity(encoder);
        assertThat(similarity.official()).isFalse();
        assertThat(similarity.similarity("a dog", "A dog")).isCloseTo(1.0, within(1e-6));
        assertThat(similarity.similarity("a dog", "the red ball")).isLessThan(0.999);
    }

    @Test
    void aDirectoryThatClaimsBertBaseUncasedIsOfficial(@TempDir Path dir) throws IOException {
        for (String f : new String[] {"model.pt", "tokenizer.json"}) {
            Files.copy(TINY.resolve(f), dir.resolve(f));
        }
        Files.writeString(dir.resolve("config.json"), "{\"_name_or_path\": \"bert-base-uncased\", "
                + "\"model_type\": \"bert\", \"hidden_size\": 768, \"vocab_size\": 30522}");
        try (BertSentenceEncoder claimed = new BertSentenceEncoder(dir)) {
            assertThat(claimed.officialGlammEncoder()).isTrue();
            assertThat(claimed.name()).isEqualTo("bert-base-uncased/mean-last-hidden");
        }
    }

    @Test
    void recallUsesIt() {
        // one GT label "a dog" and one predicted phrase "A dog" on the same mask: a true positive with the encoder
        Rle mask = Masks.m("1100");
        GcgSample sample = new GcgSample("1", "A dog.", List.of("a dog"), List.of(mask), "A dog.", List.of("A dog"),
                List.of(mask));
        GcgReport report = new GcgEvaluator(new CosineEmbeddingSimilarity(encoder)).evaluate(List.of(sample));
        assertThat(report.recall()).isEqualTo(1.0);
        assertThat(report.recallSimilarity()).isEqualTo("cosine:bert-dir:tiny-bert/mean-last-hidden");
        assertThat(report.recallOfficial()).isFalse();
    }

    @Test
    void aDirectoryWithoutTheModelIsRefusedNamingTheSetting(@TempDir Path dir) {
        assertThatThrownBy(() -> new BertSentenceEncoder(dir))
                .hasMessageStartingWith("studio.evaluation.bert-model-dir:").hasMessageContaining("model.pt");
    }
}
