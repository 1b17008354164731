package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole pipeline on the tiny random-weight model, against what the same parts produced in Python. */
class GlammModelEndToEndTest {

    static GlammModel model;
    static JsonObject ref;

    @BeforeAll
    static void load() throws Exception {
        DjlOffline.enforce();
        model = GlammModel.load(TinyGlamm.dir(), Device.cpu());
        ref = TinyGlamm.referenceJson();
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void promptIdsMatchLlavaTokenizerImageToken() {
        JsonArray expected = ref.getAsJsonArray("prompt_ids");
        long[] ids = model.promptIds();
        assertThat(ids).hasSize(expected.size());
        for (int i = 0; i < ids.length; i++) {
            assertThat(ids[i]).as("prompt id %d", i).isEqualTo(expected.get(i).getAsLong());
        }
        assertThat(ids).containsOnlyOnce(GlammModel.IMAGE_TOKEN_INDEX);
        assertThat(model.segTokenId()).isNotEqualTo(model.eosTokenId());
    }

    @Test
    void imageInCaptionPhrasesAndMasksOut() throws Exception {
        RgbImage img = RgbImage.read(TinyGlamm.reference("landscape.png"));
        GlammPrediction p = model.predict(img);

        JsonObject e2e = ref.getAsJsonObject("end_to_end");
        assertThat(p.rawText()).isEqualTo(e2e.get("output_text").getAsString());
        assertThat(p.caption()).isEqualTo("The image shows a cat sitting on a mat .");
        assertThat(p.phrases()).containsExactly("cat", "mat");
        assertThat(p.masks()).hasSize(2);
        assertThat(p.phraseMaskCountsMatch()).isTrue();
        JsonArray areas = e2e.getAsJsonArray("mask_areas");
        JsonArray counts = e2e.getAsJsonArray("mask_counts");
        for (int i = 0; i < 2; i++) {
            GlammPrediction.Mask m = p.masks().get(i);
            assertThat(m.height()).isEqualTo(img.height());
            assertThat(m.width()).isEqualTo(img.width());
            long expectedArea = areas.get(i).getAsLong();
            assertThat(m.area()).isGreaterThan(0).isLessThan((long) img.width() * img.height());
            // float paths differ (Java image preprocessing + DJL vs numpy/PIL + torch): near-identical, not bitwise
            assertThat((double) Math.abs(m.area() - expectedArea)).isLessThan(0.002 * img.width() * img.height());
            List<Integer> expectedCounts = new ArrayList<>();
            counts.get(i).getAsJsonArray().forEach(c -> expectedCounts.add(c.getAsInt()));
            int[] cnts = expectedCounts.stream().mapToInt(Integer::intValue).toArray();
            int n = img.width() * img.height();
            assertThat(iou(decodeCompressed(m.counts(), n), decode(cnts, n))).isGreaterThan(0.995);
        }
        assertThat(p.masks().get(0).counts()).isNotEqualTo(p.masks().get(1).counts());
        assertThat(p.timingsMillis()).containsKeys("clip_preprocess", "global_encoder", "prefill", "decode_steps",
                "sam_preprocess", "grounding_encoder", "pixel_decoder", "mask_postprocess_rle");
    }

    @Test
    void writesTheInferPyPredictionFile() throws Exception {
        RgbImage img = RgbImage.read(TinyGlamm.reference("landscape.png"));
        GlammPrediction p = model.predict(img);
        JsonObject json = com.google.gson.JsonParser.parseString(p.toGrandfJson("landscape")).getAsJsonObject();
        assertThat(json.get("image_id").getAsString()).isEqualTo("landscape");
        assertThat(json.get("caption").getAsString()).isEqualTo(p.caption());
        assertThat(json.getAsJsonArray("phrases")).hasSize(2);
        JsonArray masks = json.getAsJsonArray("pred_masks");
        assertThat(masks).hasSize(2);
        JsonObject m0 = masks.get(0).getAsJsonObject();
        assertThat(m0.getAsJsonArray("size").get(0).getAsInt()).isEqualTo(300);
        assertThat(m0.getAsJsonArray("size").get(1).getAsInt()).isEqualTo(400);
        assertThat(m0.get("counts").getAsString()).isEqualTo(p.masks().get(0).counts());
    }

    @Test
    void deviceSpecs() {
        assertThat(GlammModel.device("cpu")).isEqualTo(Device.cpu());
        assertThat(GlammModel.device("auto")).isEqualTo(Device.cpu());   // no GPU native library in this build
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlammModel.device("tpu"))
                .isInstanceOf(IllegalArgumentException.class);
        // asking for a GPU the engine does not see is a startup error, not a silent CPU run (or a crash later)
        for (String gpu : List.of("gpu", "cuda", "gpu:1", "cuda:0")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> GlammModel.device(gpu))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("GLAMM_DEVICE=" + gpu)
                    .hasMessageContaining("0 CUDA device(s)")
                    .hasMessageContaining("CUDA libtorch");
        }
    }

    /** pycocotools rleFrString. */
    static byte[] decodeCompressed(String s, int n) {
        List<Integer> cnts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                long c = s.charAt(p) - 48;
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            int m = cnts.size();
            if (m > 2) {
                x += cnts.get(m - 2);
            }
            cnts.add((int) x);
        }
        return decode(cnts.stream().mapToInt(Integer::intValue).toArray(), n);
    }

    static byte[] decode(int[] cnts, int n) {
        byte[] out = new byte[n];
        int p = 0;
        for (int i = 0; i < cnts.length; i++) {
            for (int j = 0; j < cnts[i]; j++) {
                out[p++] = (byte) (i % 2);
            }
        }
        assertThat(p).isEqualTo(n);
        return out;
    }

    static double iou(byte[] a, byte[] b) {
        long inter = 0;
        long union = 0;
        for (int i = 0; i < a.length; i++) {
            inter += a[i] & b[i];
            union += a[i] | b[i];
        }
        return union == 0 ? 1 : (double) inter / union;
    }

    @Test
    void maxNewTokensCutsGenerationBeforeTheMasks() throws Exception {
        RgbImage img = RgbImage.read(TinyGlamm.reference("portrait.png"));
        GlammPrediction p = model.predict(img, 6);
        assertThat(p.generatedTokens()).isEqualTo(6);
        assertThat(p.rawText()).isEqualTo("The image shows a <p> cat");
        assertThat(p.phrases()).isEmpty();
        assertThat(p.masks()).isEmpty();
        assertThat(p.caption()).isEqualTo("The image shows a cat");
    }
}
