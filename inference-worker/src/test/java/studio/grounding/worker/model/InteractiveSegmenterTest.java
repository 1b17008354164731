package studio.grounding.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Click-to-segment with the tiny model's traced grounding encoder and prompt decoder. */
class InteractiveSegmenterTest {

    private static GlammModel model;
    private static RgbImage landscape;
    private static RgbImage portrait;

    @BeforeAll
    static void load() throws Exception {
        model = GlammModel.load(TinyGlamm.dir(), Device.cpu());
        landscape = RgbImage.read(TinyGlamm.reference("landscape.png"));    // 400x300
        portrait = RgbImage.read(TinyGlamm.reference("portrait.png"));      // 250x350
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static InteractiveSegmenter.Point pos(double x, double y) {
        return new InteractiveSegmenter.Point(x, y, true);
    }

    private static InteractiveSegmenter.Prompt clicks(InteractiveSegmenter.Point... p) {
        return new InteractiveSegmenter.Prompt(List.of(p), null, null);
    }

    private static Supplier<RgbImage> counting(RgbImage img, AtomicInteger reads) {
        return () -> {
            reads.incrementAndGet();
            return img;
        };
    }

    private static boolean at(GlammPrediction.Mask m, int x, int y) {
        return MaskRle.decode(m.counts(), (long) m.width() * m.height())[x * m.height() + y] == 1;
    }

    @Test
    void embeddingIsComputedOncePerImageHashAndTheImageIsNotReadAgain() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            AtomicInteger reads = new AtomicInteger();
            InteractiveSegmenter.Result first = s.segment("h1", counting(landscape, reads), clicks(pos(100, 80)));
            InteractiveSegmenter.Result second = s.segment("h1", counting(landscape, reads), clicks(pos(300, 200)));
            assertThat(first.embeddingCached()).isFalse();
            assertThat(second.embeddingCached()).isTrue();
            assertThat(reads).hasValue(1);
            assertThat(s.embeddingsComputed()).isEqualTo(1);
            s.segment("h2", counting(portrait, reads), clicks(pos(50, 50)));
            assertThat(s.embeddingsComputed()).isEqualTo(2);
            assertThat(s.cachedImages()).isEqualTo(2);
            assertThat(s.cachedBytes()).isEqualTo(2L * 8 * 64 * 64 * 4);    // C = 8 channels, float32
        }
    }

    @Test
    void cacheIsBoundedByBytesAndEvictsTheLeastRecentlyUsed() {
        long one = 8L * 64 * 64 * 4;
        try (InteractiveSegmenter s = model.interactive(2 * one)) {
            AtomicInteger reads = new AtomicInteger();
            s.segment("a", counting(landscape, reads), clicks(pos(10, 10)));
            s.segment("b", counting(portrait, reads), clicks(pos(10, 10)));
            s.segment("a", counting(landscape, reads), clicks(pos(20, 20)));   // a is now the most recent
            s.segment("c", counting(landscape, reads), clicks(pos(10, 10)));   // evicts b
            assertThat(s.cachedImages()).isEqualTo(2);
            assertThat(s.cachedBytes()).isEqualTo(2 * one);
            assertThat(s.embeddingsComputed()).isEqualTo(3);
            s.segment("a", counting(landscape, reads), clicks(pos(30, 30)));
            assertThat(s.embeddingsComputed()).isEqualTo(3);
            s.segment("b", counting(portrait, reads), clicks(pos(30, 30)));
            assertThat(s.embeddingsComputed()).isEqualTo(4);
            assertThat(reads).hasValue(4);
        }
    }

    @Test
    void positiveClickGivesMasksOfTheImageSizeContainingTheClick() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            for (RgbImage img : List.of(landscape, portrait)) {
                int x = img.width() / 3;
                int y = img.height() / 2;
                InteractiveSegmenter.Result r = s.segment("img" + img.width(), () -> img, clicks(pos(x, y)));
                assertThat(r.masks()).hasSize(3);
                assertThat(r.scores()).hasSize(3);
                for (GlammPrediction.Mask m : r.masks()) {
                    assertThat(m.height()).isEqualTo(img.height());
                    assertThat(m.width()).isEqualTo(img.width());
                }
                GlammPrediction.Mask best = r.bestMask();
                assertThat(at(best, x, y)).as("the clicked pixel is in the mask").isTrue();
                assertThat(best.area()).isBetween(1L, (long) img.width() * img.height() - 1);
                assertThat(r.scores()[r.best()]).isEqualTo(max(r.scores()));
            }
        }
    }

    @Test
    void negativeClickRemovesItsPixelFromTheMask() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            InteractiveSegmenter.Result one = s.segment("h", () -> landscape, clicks(pos(200, 150)));
            assertThat(at(one.masks().get(1), 212, 150)).isTrue();
            InteractiveSegmenter.Result two = s.segment("h", () -> landscape, clicks(pos(200, 150),
                    new InteractiveSegmenter.Point(212, 150, false)));
            assertThat(two.masks().get(1).counts()).isNotEqualTo(one.masks().get(1).counts());
            assertThat(at(two.masks().get(1), 212, 150)).isFalse();
            assertThat(at(two.masks().get(1), 195, 150)).isTrue();
        }
    }

    @Test
    void boxPromptSegmentsInsideTheBox() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            InteractiveSegmenter.Result r = s.segment("h", () -> landscape,
                    new InteractiveSegmenter.Prompt(List.of(), new InteractiveSegmenter.Box(50, 40, 250, 200), null));
            GlammPrediction.Mask m = r.masks().get(1);
            assertThat(at(m, 150, 120)).isTrue();
            assertThat(at(m, 10, 10)).isFalse();
            assertThat(at(m, 350, 250)).isFalse();
            assertThat(m.area()).isBetween(200L * 160 * 8 / 10, 200L * 160 * 12 / 10);
        }
    }

    @Test
    void previousMaskIsFedBackAsMaskInput() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            InteractiveSegmenter.Result first = s.segment("h", () -> landscape, clicks(pos(100, 100)));
            byte[] prev = MaskRle.decode(first.masks().get(1).counts(), 400L * 300);
            InteractiveSegmenter.Result again = s.segment("h", () -> landscape,
                    new InteractiveSegmenter.Prompt(List.of(pos(100, 100)), null, prev));
            assertThat(again.masks().get(1).counts()).isNotEqualTo(first.masks().get(1).counts());
            // the tiny decoder adds the mask input's logits (+-20 per cell): the answer follows the previous mask up to
            // its 4-pixel cells
            byte[] now = MaskRle.decode(again.masks().get(1).counts(), 400L * 300);
            long both = 0;
            long either = 0;
            for (int i = 0; i < now.length; i++) {
                both += now[i] & prev[i];
                either += now[i] | prev[i];
            }
            assertThat((double) both / either).isGreaterThan(0.95);
        }
    }

    @Test
    void badPromptsAreRefusedWithTheReason() {
        try (InteractiveSegmenter s = model.interactive(64L << 20)) {
            assertThatThrownBy(() -> s.segment("h", () -> landscape, clicks(pos(401, 10))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the 400x300 image");
            assertThatThrownBy(() -> s.segment("h", () -> landscape, new InteractiveSegmenter.Prompt(List.of(),
                    new InteractiveSegmenter.Box(100, 10, 50, 20), null))).hasMessageContaining("x0 > x1");
            assertThatThrownBy(() -> s.segment("h", () -> landscape, new InteractiveSegmenter.Prompt(
                    List.of(pos(1, 1)), null, new byte[10]))).hasMessageContaining("previous mask has 10 pixels");
            assertThatThrownBy(() -> new InteractiveSegmenter.Prompt(List.of(), null, null))
                    .hasMessageContaining("at least one point or a box");
        }
    }

    @Test
    void rleDecodeInvertsEncodeOnRandomMasks() {
        Random rnd = new Random(42);
        for (int t = 0; t < 300; t++) {
            int n = 1 + rnd.nextInt(3000);
            byte[] m = new byte[n];
            double density = rnd.nextDouble();
            int run = 1 + rnd.nextInt(200);
            for (int i = 0; i < n; i++) {
                m[i] = (byte) ((i / run) % 2 == 0 && rnd.nextDouble() < density ? 1 : 0);
            }
            assertThat(MaskRle.decode(MaskRle.encode(m), n)).as("mask %d", t).isEqualTo(m);
        }
        assertThatThrownBy(() -> MaskRle.decode("3", 4)).hasMessageContaining("cover 3 pixels");
        assertThatThrownBy(() -> MaskRle.decode("3 ", 4)).hasMessageContaining("not in the COCO alphabet");
    }

    private static float max(float[] a) {
        float m = a[0];
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
