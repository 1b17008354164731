package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** The bfloat16 path (how GLaMM runs): casts in and out of the parts, a bf16 KV cache, bf16 [SEG] hidden states. */
class GlammModelBf16Test {

    @Test
    void bf16ModelGivesTheSameAnswerAndNearlyTheSameMasks() throws Exception {
        DjlOffline.enforce();
        RgbImage img = RgbImage.read(TinyGlamm.reference("landscape.png"));
        GlammPrediction f32;
        GlammPrediction bf16;
        try (GlammModel m = GlammModel.load(TinyGlamm.dir(), Device.cpu())) {
            f32 = m.predict(img);
        }
        try (GlammModel m = GlammModel.load(TinyGlamm.bf16Dir(), Device.cpu())) {
            assertThat(m.config().dtype()).isEqualTo("bfloat16");
            bf16 = m.predict(img);
        }
        assertThat(bf16.rawText()).isEqualTo(f32.rawText());
        assertThat(bf16.phrases()).containsExactly("cat", "mat");
        assertThat(bf16.masks()).hasSize(2);
        int n = img.width() * img.height();
        for (int i = 0; i < 2; i++) {
            GlammPrediction.Mask a = f32.masks().get(i);
            GlammPrediction.Mask b = bf16.masks().get(i);
            assertThat(b.height()).isEqualTo(img.height());
            assertThat(b.width()).isEqualTo(img.width());
            double iou = GlammModelEndToEndTest.iou(GlammModelEndToEndTest.decodeCompressed(a.counts(), n),
                    GlammModelEndToEndTest.decodeCompressed(b.counts(), n));
            assertThat(iou).as("mask %d IoU f32 vs bf16", i).isGreaterThan(0.8);
        }
    }
}
