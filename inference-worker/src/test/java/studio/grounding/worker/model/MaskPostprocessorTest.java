package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Mask post-processing against torch's F.interpolate (reference.json "masks", three image geometries). */
class MaskPostprocessorTest {

    static float[][] lowRes() throws Exception {
        byte[] raw = Files.readAllBytes(TinyGlamm.reference("mask_logits_2x1x256x256.f16"));
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        float[][] out = new float[2][256 * 256];
        for (int n = 0; n < 2; n++) {
            for (int i = 0; i < 256 * 256; i++) {
                out[n][i] = Float.float16ToFloat(b.getShort());
            }
        }
        return out;
    }

    @Test
    void logitsAndBinaryMasksMatchTorch() throws Exception {
        float[][] low = lowRes();
        MaskPostprocessor post = new MaskPostprocessor(1024);
        JsonArray cases = TinyGlamm.referenceJson().getAsJsonArray("masks");
        assertThat(cases).hasSize(3);
        for (JsonElement c : cases) {
            JsonObject o = c.getAsJsonObject();
            int oh = o.getAsJsonArray("original_hw").get(0).getAsInt();
            int ow = o.getAsJsonArray("original_hw").get(1).getAsInt();
            int rh = o.getAsJsonArray("resized_hw").get(0).getAsInt();
            int rw = o.getAsJsonArray("resized_hw").get(1).getAsInt();
            float[][] logits = {post.logits(low[0], 256, 256, rh, rw, oh, ow),
                    post.logits(low[1], 256, 256, rh, rw, oh, ow)};
            for (JsonElement s : o.getAsJsonArray("samples")) {
                JsonArray a = s.getAsJsonArray();
                float v = logits[a.get(0).getAsInt()][a.get(1).getAsInt() * ow + a.get(2).getAsInt()];
                assertThat(v).as("%s in %dx%d", a, oh, ow).isCloseTo(a.get(3).getAsFloat(), within(1e-4f));
            }
            for (int n = 0; n < 2; n++) {
                byte[] bin = post.binaryColumnMajor(low[n], 256, 256, rh, rw, oh, ow);
                int[] expected = toInts(o.getAsJsonArray("counts").get(n).getAsJsonArray());
                int[] got = MaskRle.counts(bin);
                long expectedArea = MaskRle.area(expected);
                assertThat(expectedArea).isPositive().isLessThan((long) oh * ow);
                // the same float operations in the same order as torch's CPU kernel: identical masks
                assertThat(got).containsExactly(expected);
            }
        }
    }

    @Test
    void columnMajorLayoutAndCrop() {
        // low-res logits positive only in the left half: after crop to the left 512 of 1024 columns and resize to
        // 10x20 (h x w), the whole image is covered by the positive region's stretched left half
        float[] low = new float[4 * 4];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                low[y * 4 + x] = x < 2 ? 5f : -5f;
            }
        }
        MaskPostprocessor post = new MaskPostprocessor(8);
        byte[] full = post.binaryColumnMajor(low, 4, 4, 8, 8, 10, 20);
        byte[] cropped = post.binaryColumnMajor(low, 4, 4, 8, 4, 10, 20);
        long fullArea = MaskRle.area(MaskRle.counts(full));
        assertThat(fullArea).isEqualTo(100);                  // left half of 10x20
        assertThat(full[0]).isEqualTo((byte) 1);              // (0,0)
        assertThat(full[19 * 10]).isEqualTo((byte) 0);        // (0,19): column-major index x*h + y
        assertThat(MaskRle.area(MaskRle.counts(cropped))).isEqualTo(200);
    }

    private static int[] toInts(JsonArray a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.get(i).getAsInt();
        }
        return r;
    }
}
