package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The worker's RLE encoder against the pycocotools vectors the backend's codec is pinned to
 * ({@code backend/src/test/resources/mask/rle-vectors.json}, produced by the original C code).
 */
class MaskRleTest {

    static final Path VECTORS = Path.of("..", "backend", "src", "test", "resources", "mask", "rle-vectors.json");

    @Test
    void encodesEveryMaskVectorLikePycocotools() throws Exception {
        assertThat(VECTORS).as("the shared pycocotools vectors").exists();
        JsonObject v = JsonParser.parseString(Files.readString(VECTORS)).getAsJsonObject();
        int checked = 0;
        for (String section : new String[] {"masks", "polygons"}) {
            for (JsonElement e : v.getAsJsonArray(section)) {
                JsonObject m = e.getAsJsonObject();
                int h = m.get("h").getAsInt();
                int w = m.get("w").getAsInt();
                int[] cnts = m.getAsJsonArray("cnts").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
                byte[] mask = decode(cnts, h * w);
                assertThat(MaskRle.counts(mask)).as(m.get("id").getAsString()).containsExactly(canonical(cnts));
                assertThat(MaskRle.encode(mask)).as(m.get("id").getAsString())
                        .isEqualTo(m.get("counts").getAsString());
                assertThat(MaskRle.area(MaskRle.counts(mask))).isEqualTo(m.get("area").getAsLong());
                checked++;
            }
        }
        for (JsonElement e : v.getAsJsonArray("codec")) {
            JsonObject c = e.getAsJsonObject();
            int[] cnts = c.getAsJsonArray("cnts").asList().stream().mapToInt(JsonElement::getAsInt).toArray();
            assertThat(MaskRle.toCompressedString(cnts)).isEqualTo(c.get("counts").getAsString());
            checked++;
        }
        assertThat(checked).isGreaterThan(50);
    }

    @Test
    void foregroundFirstPixelStartsWithAnEmptyBackgroundRun() {
        assertThat(MaskRle.counts(new byte[] {1, 1, 0})).containsExactly(0, 2, 1);
        assertThat(MaskRle.counts(new byte[] {0, 0, 0})).containsExactly(3);
        assertThat(MaskRle.encode(new byte[] {0, 1, 1, 0})).isEqualTo("121");
    }

    private static byte[] decode(int[] cnts, int n) {
        byte[] m = new byte[n];
        int p = 0;
        for (int i = 0; i < cnts.length; i++) {
            for (int k = 0; k < cnts[i]; k++) {
                m[p++] = (byte) (i % 2);
            }
        }
        return m;
    }

    /** Merge zero-length runs after the first (an encoder never emits them). */
    private static int[] canonical(int[] cnts) {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < cnts.length; i++) {
            if (cnts[i] == 0 && i > 0) {
                if (i + 1 < cnts.length) {
                    out.set(out.size() - 1, out.get(out.size() - 1) + cnts[++i]);
                }
                continue;
            }
            out.add(cnts[i]);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
