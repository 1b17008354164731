package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batched prediction gives, per image, exactly what one image at a time gives (tiny model, real DJL). */
class GlammModelBatchTest {

    static GlammModel model;
    static List<RgbImage> images = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        DjlOffline.enforce();
        model = GlammModel.load(TinyGlamm.dir(), Device.cpu());
        RgbImage landscape = RgbImage.read(TinyGlamm.reference("landscape.png"));
        RgbImage portrait = RgbImage.read(TinyGlamm.reference("portrait.png"));
        images.add(landscape);
        images.add(portrait);
        images.add(mirrored(landscape));
        images.add(mirrored(portrait));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Another image of another content: the same pixels, left-right mirrored. */
    static RgbImage mirrored(RgbImage img) {
        byte[] src = img.rgb();
        byte[] dst = new byte[src.length];
        int w = img.width();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, (y * w + x) * 3, dst, (y * w + (w - 1 - x)) * 3, 3);
            }
        }
        return new RgbImage(w, img.height(), dst);
    }

    static void assertSame(GlammPrediction batched, GlammPrediction single, int i) {
        assertThat(batched.rawText()).as("image %d text", i).isEqualTo(single.rawText());
        assertThat(batched.generatedTokens()).as("image %d tokens", i).isEqualTo(single.generatedTokens());
        assertThat(batched.caption()).isEqualTo(single.caption());
        assertThat(batched.phrases()).isEqualTo(single.phrases());
        assertThat(batched.masks()).as("image %d masks", i).isEqualTo(single.masks());
    }

    @Test
    void aBatchGivesEachImageItsBatchOfOneResult() {
        List<GlammPrediction> batched = model.predictBatch(images);
        assertThat(batched).hasSize(images.size());
        for (int i = 0; i < images.size(); i++) {
            GlammPrediction single = model.predict(images.get(i));
            assertThat(single.masks()).hasSize(2);
            assertSame(batched.get(i), single, i);
        }
        // the images differ, so their masks do: a batch that mixed rows up would show
        assertThat(batched.get(0).masks()).isNotEqualTo(batched.get(2).masks());
        assertThat(batched.get(1).masks()).isNotEqualTo(batched.get(3).masks());
    }

    @Test
    void rowsThatFinishEarlyLeaveTheBatchWithoutChangingTheOthers() {
        // budgets: cut before the first [SEG], after the first [SEG], full answer, one token
        int[] budgets = {6, 8, 512, 1};
        List<GlammPrediction> batched = model.predictBatch(images, budgets);
        for (int i = 0; i < images.size(); i++) {
            assertSame(batched.get(i), model.predict(images.get(i), budgets[i]), i);
        }
        assertThat(batched.get(0).masks()).isEmpty();
        assertThat(batched.get(1).masks()).hasSize(1);
        assertThat(batched.get(2).masks()).hasSize(2);
        assertThat(batched.get(3).generatedTokens()).isEqualTo(1);
    }

    @Test
    void sixteenImagesAtOnce() {
        List<RgbImage> sixteen = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            sixteen.add(images.get(i % images.size()));
        }
        List<GlammPrediction> batched = model.predictBatch(sixteen);
        for (int i = 0; i < images.size(); i++) {
            GlammPrediction single = model.predict(images.get(i));
            for (int j = i; j < 16; j += images.size()) {
                assertSame(batched.get(j), single, j);
            }
        }
        // the stage timings are the batch's, shared out per image
        assertThat(batched.getFirst().timingsMillis()).containsKeys("global_encoder", "prefill", "decode_steps",
                "grounding_encoder", "pixel_decoder");
    }
}
