package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CLIP and SAM preprocessing against the Python reference (PIL resize as transformers/torchvision call it, numpy and
 * torch normalisation), written by {@code export_glamm.py --tiny --fixtures}.
 */
class ImagePreprocessorTest {

    static final ImagePreprocessor PRE = new ImagePreprocessor(336,
            new float[] {0.48145466f, 0.4578275f, 0.40821073f}, new float[] {0.26862954f, 0.26130258f, 0.27577711f},
            1024, new float[] {123.675f, 116.28f, 103.53f}, new float[] {58.395f, 57.12f, 57.375f});

    @ParameterizedTest
    @ValueSource(strings = {"landscape", "portrait"})
    void clipResizeAndCropEqualPillowBicubicExactly(String name) throws Exception {
        RgbImage img = RgbImage.read(TinyGlamm.reference(name + ".png"));
        RgbImage expected = RgbImage.read(TinyGlamm.reference(name + "_clip_resized.png"));
        RgbImage crop = PRE.clipCrop(PRE.clipResize(img));
        assertThat(crop.width()).isEqualTo(336);
        assertThat(crop.height()).isEqualTo(336);
        assertThat(differingBytes(crop, expected)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"landscape", "portrait"})
    void samResizeEqualsPillowBilinearExactly(String name) throws Exception {
        RgbImage img = RgbImage.read(TinyGlamm.reference(name + ".png"));
        RgbImage expected = RgbImage.read(TinyGlamm.reference(name + "_sam_resized.png"));
        RgbImage r = PRE.samResize(img);
        assertThat(r.width()).isEqualTo(expected.width());
        assertThat(r.height()).isEqualTo(expected.height());
        assertThat(Math.max(r.width(), r.height())).isEqualTo(1024);
        assertThat(differingBytes(r, expected)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"landscape", "portrait"})
    void clipTensorMatchesReference(String name) throws Exception {
        JsonObject ref = TinyGlamm.referenceJson().getAsJsonObject("images").getAsJsonObject(name)
                .getAsJsonObject("clip");
        FloatTensor t = PRE.clip(RgbImage.read(TinyGlamm.reference(name + ".png")));
        assertThat(t.shape()).containsExactly(1, 3, 336, 336);
        checkTensor(t, ref);
    }

    @ParameterizedTest
    @ValueSource(strings = {"landscape", "portrait"})
    void samTensorMatchesReferenceIncludingZeroPadding(String name) throws Exception {
        JsonObject ref = TinyGlamm.referenceJson().getAsJsonObject("images").getAsJsonObject(name)
                .getAsJsonObject("sam");
        ImagePreprocessor.SamInput in = PRE.sam(RgbImage.read(TinyGlamm.reference(name + ".png")));
        assertThat(in.tensor().shape()).containsExactly(1, 3, 1024, 1024);
        JsonArray hw = ref.getAsJsonArray("resized_hw");
        assertThat(in.resizedHeight()).isEqualTo(hw.get(0).getAsInt());
        assertThat(in.resizedWidth()).isEqualTo(hw.get(1).getAsInt());
        // the padding is zero, not the normalised black
        assertThat(in.tensor().get(0, 0, 1023, 1023)).isZero();
        checkTensor(in.tensor(), ref);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 333, 1024, 1500, 4000})
    void samResizedSizeRoundsLikeSegmentAnything(int side) {
        int[] hw = PRE.samResizedSize(side, 3 * side / 2 + 1);
        double scale = 1024.0 / (3 * side / 2 + 1);
        assertThat(hw[1]).isEqualTo(1024);
        assertThat(hw[0]).isEqualTo((int) (side * scale + 0.5));
    }

    private static void checkTensor(FloatTensor t, JsonObject ref) {
        for (JsonElement e : ref.getAsJsonArray("samples")) {
            JsonArray s = e.getAsJsonArray();
            float v = t.get(0, s.get(0).getAsLong(), s.get(1).getAsLong(), s.get(2).getAsLong());
            assertThat(v).as("at %s", s).isCloseTo(s.get(3).getAsFloat(), within(1e-5f));
        }
        double sum = 0;
        double abs = 0;
        for (float f : t.data()) {
            sum += f;
            abs += Math.abs(f);
        }
        assertThat(sum).isCloseTo(ref.get("sum").getAsDouble(), within(1e-6 * t.data().length));
        assertThat(abs).isCloseTo(ref.get("abs_sum").getAsDouble(), within(1e-6 * t.data().length));
    }

    private static int differingBytes(RgbImage a, RgbImage b) {
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        int n = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            if (a.rgb()[i] != b.rgb()[i]) {
                n++;
            }
        }
        return n;
    }

}
