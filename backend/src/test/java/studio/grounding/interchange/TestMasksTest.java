package studio.grounding.interchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The test stand-in codec agrees with the pycocotools vectors, so fixtures built with it hold real RLE strings. */
class TestMasksTest {

    private static final Path VECTORS = Path.of("/work/shared/spec/rle-vectors.json");

    @Test
    void encodesAndDecodesLikePycocotools() throws Exception {
        Assumptions.assumeTrue(Files.exists(VECTORS), "spec vectors not present");
        JsonNode root = Json.MAPPER.readTree(VECTORS);
        int checked = 0;
        for (JsonNode m : root.get("masks")) {
            long[] cnts = new long[m.get("cnts").size()];
            for (int i = 0; i < cnts.length; i++) {
                cnts[i] = m.get("cnts").get(i).asLong();
            }
            String counts = m.get("counts").stringValue();
            assertThat(TestMasks.encode(cnts)).isEqualTo(counts);
            assertThat(TestMasks.decode(counts)).containsExactly(cnts);
            int h = m.get("h").asInt(), w = m.get("w").asInt();
            TestMasks.INSTANCE.check(counts, h, w);
            assertThat(TestMasks.INSTANCE.area(counts, h, w)).isEqualTo(m.get("area").asLong());
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }
}
